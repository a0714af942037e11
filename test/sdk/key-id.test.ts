/** Key ids (docs/protocol.md §3.2): MD5 over the DER SubjectPublicKeyInfo, colon hex; the known-answer vector. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey } from 'node:crypto';
import { keyId } from '../../lib/sdk/transport';

const VECTOR_PEM = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqmNspA8Y4/aC+0fcmPD+
Awn26+dJHXWgukd6/jUncScE/yeXDvzC4rFAnx2NmILn05/TOUj28Z2GBEADijbn
DK7xyRl0K/CTOdSpTqf3NT0U95brLMjiztrcu/T1tHBlO+33ZSexWgiTgayT6CbK
lR1YdpU9kyxk7Mk3cgWtQlkFXb3wP1lS8YAqe5+IEbyRBYxgMJ4yzT12twqfHOtM
wlBoDPMvHHviyeuMnw3qJZ8oKats7JW5QrhcZR+dyBWpwvR3bc4P3/S9H+u9aii8
rq0XJpT2W4PQdAiuQ3kbSZ1ccavE6Vc/hvSgWx57hGXHDdg82NrR1wqZ+YKGy5rt
4QIDAQAB
-----END PUBLIC KEY-----
`;

test('the SPKI key id of the protocol vector', () => {
  assert.equal(keyId(VECTOR_PEM), '51:63:c0:9d:40:84:f6:50:04:4e:7d:10:11:5a:74:2a');
});

test('the PKCS#1 digest is the wrong value of the vector, and keyId does not produce it', () => {
  const pkcs1 = createPublicKey(VECTOR_PEM).export({ type: 'pkcs1', format: 'der' });
  const wrong = createHash('md5').update(pkcs1).digest('hex').match(/../g)?.join(':');
  assert.equal(wrong, '9c:4c:8f:89:27:50:c0:cd:eb:68:6a:f0:56:7a:29:aa');
  assert.notEqual(keyId(VECTOR_PEM), wrong);
});

test('a PKCS#1 PEM of the same key gives the same (SPKI) key id', () => {
  const pkcs1Pem = createPublicKey(VECTOR_PEM).export({ type: 'pkcs1', format: 'pem' }).toString();
  assert.equal(keyId(pkcs1Pem), '51:63:c0:9d:40:84:f6:50:04:4e:7d:10:11:5a:74:2a');
});
