/** Unit tests of the emulator's PKCS#12 reader (directory `ios_p12`): DER/BER, RC2, fingerprints, refusals. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { children, DerError, parseNode } from '../../lib/emulator/routes/management/der';
import { p12CertificateFingerprint, Pkcs12Error } from '../../lib/emulator/routes/management/pkcs12';
import { rc2DecryptBlock, rc2ExpandKey } from '../../lib/emulator/routes/management/rc2';

const FIXTURES = join(__dirname, 'fixtures');
/** `openssl x509 -in fixtures/expired-cert.pem -noout -fingerprint -sha256` */
const EXPIRED_CERT_SHA256 =
  '79:E1:C9:79:F4:DE:CE:77:67:F5:01:1D:D9:08:01:0E:04:FE:89:21:36:29:45:5A:F8:33:65:35:3D:FB:81:D2';

describe('PKCS#12 reader', () => {
  test('RC2 decrypts the RFC 2268 test vectors', () => {
    const vectors: Array<[string, number, string, string]> = [
      ['0000000000000000', 63, '0000000000000000', 'ebb773f993278eff'],
      ['ffffffffffffffff', 64, 'ffffffffffffffff', '278b27e42e2f0d49'],
      ['3000000000000000', 64, '1000000000000001', '30649edf9be7d2c2'],
      ['88', 64, '0000000000000000', '61a8a244adacccf0'],
    ];
    for (const [key, bits, plaintext, ciphertext] of vectors) {
      const block = Buffer.from(ciphertext, 'hex');
      rc2DecryptBlock(rc2ExpandKey(Buffer.from(key, 'hex'), bits), block);
      assert.equal(block.toString('hex'), plaintext);
    }
  });

  test(
    "every supported bag encryption gives the certificate's SHA-256 " + 'fingerprint, with or without line breaks',
    () => {
      for (const file of ['expired-cert-aes.p12', 'expired-cert-3des.p12', 'expired-cert-rc2.p12']) {
        const b64 = readFileSync(join(FIXTURES, file)).toString('base64');
        assert.equal(p12CertificateFingerprint(b64), EXPIRED_CERT_SHA256, file);
        assert.equal(
          p12CertificateFingerprint(b64.replace(/(.{64})/g, '$1\r\n')),
          EXPIRED_CERT_SHA256,
          `${file} with CRLF lines`,
        );
      }
    },
  );

  test('a password, garbage, non-base64 text and an empty string are refused with Pkcs12Error', () => {
    assert.throws(
      () => p12CertificateFingerprint(readFileSync(join(FIXTURES, 'expired-cert-password.p12')).toString('base64')),
      /password/,
    );
    assert.throws(() => p12CertificateFingerprint(Buffer.from('no pkcs12 here').toString('base64')), Pkcs12Error);
    assert.throws(() => p12CertificateFingerprint('***'), Pkcs12Error);
    assert.throws(() => p12CertificateFingerprint(''), Pkcs12Error);
  });

  test('the DER reader follows BER indefinite lengths and refuses truncated input', () => {
    // SEQUENCE (indefinite) { INTEGER 3, SEQUENCE (indefinite) { NULL } } end-of-contents
    const ber = Buffer.from('3080020103' + '30800500' + '0000' + '0000', 'hex');
    const top = parseNode(ber);
    const [int, inner] = children(top);
    assert.equal(int?.value[0], 3);
    assert.equal(inner?.tag, 0x30);
    assert.equal(children(inner!)[0]?.tag, 0x05);
    assert.throws(() => parseNode(Buffer.from('3080020103', 'hex')), DerError);
    assert.throws(() => parseNode(Buffer.from('3005020103', 'hex')), DerError);
  });
});
