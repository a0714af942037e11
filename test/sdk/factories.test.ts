/**
 * Factories (docs/protocol.md §A1.1-§A1.4): construction checks in order, key methods, and the makers' issuer/subject
 * pairs.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import {
  DirectoryFactory,
  InvalidEntityID,
  InvalidIssuerFormat,
  InvalidPrivateKey,
  JOSETransport,
  OrganizationFactory,
  ServiceFactory,
} from '../../lib/sdk';
import { rsaPair, type PemPair } from './helpers/keys';
import { startMiniApi, type MiniApi } from './helpers/mini-api';

const ORG = 'a0000000-0000-1000-8000-000000000001';
const DIR = 'b0000000-0000-1000-8000-000000000002';
const SVC = 'c0000000-0000-1000-8000-000000000003';
let key: PemPair;
let extra: PemPair;
let api: MiniApi;

before(async () => {
  key = rsaPair();
  extra = rsaPair();
  const apiKeys = [rsaPair(), rsaPair()];
  api = await startMiniApi(apiKeys[0]!.privateKey, apiKeys[1]!.privateKey);
  api.addEntityKey(key.publicKey);
  api.routes.set('DELETE /service/v3/sessions', () => ({ status: 204 }));
  api.routes.set('POST /directory/v3/devices/list', () => ({ status: 200, body: [] }));
  api.routes.set('GET /organization/v3/directories', () => ({ status: 200, body: [] }));
});
after(() => api.close());

describe('construction', () => {
  test('a factory id that is not a UUID is InvalidIssuerFormat', () => {
    for (const bad of ['', 'svc', '1234', 'c0000000-0000-1000-8000-00000000000z']) {
      assert.throws(() => new ServiceFactory(bad, key.privateKey), InvalidIssuerFormat);
      assert.throws(() => new DirectoryFactory(bad, key.privateKey), InvalidIssuerFormat);
      assert.throws(() => new OrganizationFactory(bad, key.privateKey), InvalidIssuerFormat);
    }
  });

  test('an unusable private key is InvalidPrivateKey: not a PEM, a public key, a 1024-bit RSA key, an EC key', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    for (const bad of ['not a key', key.publicKey, small, ec]) {
      assert.throws(() => new ServiceFactory(SVC, bad), InvalidPrivateKey);
    }
    const f = new ServiceFactory(SVC, key.privateKey);
    assert.throws(() => f.addEncryptionPrivateKey(small), InvalidPrivateKey);
    assert.throws(() => f.addEncryptionPrivateKey('junk'), InvalidPrivateKey);
  });

  test('ids are normalised to lower case; the given transport is used and configured', () => {
    const transport = new JOSETransport();
    new ServiceFactory(SVC.toUpperCase(), key.privateKey, { url: 'http://127.0.0.1:1', transport });
    assert.equal(transport.issuer, `svc:${SVC}`);
    assert.equal(transport.url, 'http://127.0.0.1:1');
    assert.deepEqual(transport.decryptionKeyIds().length, 1);
  });

  test(
    'addEncryptionPrivateKey adds a decryption key once; ' + 'addAdditionalPrivateKey warns once and does the same',
    async () => {
      const transport = new JOSETransport();
      const f = new DirectoryFactory(DIR, key.privateKey, { transport });
      f.addEncryptionPrivateKey(extra.privateKey);
      f.addEncryptionPrivateKey(extra.privateKey);
      assert.equal(transport.decryptionKeyIds().length, 2);
      const warnings: string[] = [];
      const onWarning = (w: Error) => warnings.push(w.message);
      process.on('warning', onWarning);
      f.addAdditionalPrivateKey(rsaPair().privateKey);
      f.addAdditionalPrivateKey(extra.privateKey);
      await new Promise((r) => setImmediate(r));
      process.off('warning', onWarning);
      assert.equal(transport.decryptionKeyIds().length, 3);
      assert.deepEqual(warnings.filter((w) => w.includes('addAdditionalPrivateKey')).length, 1);
    },
  );

  test('a client id that is not a UUID is InvalidEntityID', () => {
    const f = new OrganizationFactory(ORG, key.privateKey, { url: api.url });
    assert.throws(() => f.makeServiceClient('nope'), InvalidEntityID);
    assert.throws(() => f.makeDirectoryClient('nope'), InvalidEntityID);
  });
});

describe('makers: issuer and subject of the calls', () => {
  async function lastClaims(call: () => Promise<unknown>): Promise<[unknown, unknown]> {
    api.requests.length = 0;
    await call();
    const r = api.requests.at(-1);
    return [r?.claims['iss'], r?.claims['sub']];
  }
  const opts = () => ({ url: api.url });

  test('OrganizationFactory', async () => {
    const f = new OrganizationFactory(ORG, key.privateKey, opts());
    assert.deepEqual(await lastClaims(() => f.makeOrganizationClient().getAllDirectories()), [
      `org:${ORG}`,
      `org:${ORG}`,
    ]);
    assert.deepEqual(await lastClaims(() => f.makeDirectoryClient(DIR).getLinkedDevices('u')), [
      `org:${ORG}`,
      `dir:${DIR}`,
    ]);
    assert.deepEqual(await lastClaims(() => f.makeServiceClient(SVC).sessionEnd('u')), [`org:${ORG}`, `svc:${SVC}`]);
  });

  test('DirectoryFactory', async () => {
    const f = new DirectoryFactory(DIR, key.privateKey, opts());
    assert.deepEqual(await lastClaims(() => f.makeDirectoryClient().getLinkedDevices('u')), [
      `dir:${DIR}`,
      `dir:${DIR}`,
    ]);
    assert.deepEqual(await lastClaims(() => f.makeServiceClient(SVC).sessionEnd('u')), [`dir:${DIR}`, `svc:${SVC}`]);
    assert.equal('makeOrganizationClient' in f, false);
  });

  test('ServiceFactory', async () => {
    const f = new ServiceFactory(SVC, key.privateKey, opts());
    assert.deepEqual(await lastClaims(() => f.makeServiceClient().sessionEnd('u')), [`svc:${SVC}`, `svc:${SVC}`]);
    assert.equal('makeDirectoryClient' in f, false);
    assert.equal('makeOrganizationClient' in f, false);
  });
});
