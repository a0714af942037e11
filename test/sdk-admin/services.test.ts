/** Service and service-key calls of ServiceManagingBaseClient, through both the Organization and Directory clients. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EntityNotFound,
  Forbidden,
  InvalidParameters,
  InvalidPublicKey,
  KeyType,
  LastRemainingKey,
  PublicKeyAlreadyInUse,
  PublicKeyDoesNotExist,
  ServiceFactory,
  ServiceNameTaken,
  UnexpectedAPIResponse,
  keyId,
  type DirectoryClient,
  type OrganizationClient,
} from 'passport-truvalidate/sdk';
import { UNKNOWN_ID, directoryFactory, organizationFactory, rsaKeyPair, type RecordingTransport } from './helpers';
import { startTestEmulator, type Emulator } from '../fixtures/emulator';

const keyA = rsaKeyPair();
const keyB = rsaKeyPair();

describe('ServiceManagingBaseClient services and service keys', () => {
  let emulator: Emulator;
  let org: { client: OrganizationClient; transport: RecordingTransport };
  let dir: { client: DirectoryClient; transport: RecordingTransport };
  let counter = 0;
  const uniqueName = (prefix: string): string => `${prefix} ${++counter}`;

  before(async () => {
    emulator = await startTestEmulator();
    const o = organizationFactory(emulator);
    org = { client: o.factory.makeOrganizationClient(), transport: o.transport };
    const d = directoryFactory(emulator);
    dir = { client: d.factory.makeDirectoryClient(), transport: d.transport };
  });
  after(async () => {
    await emulator.close();
  });

  const kinds = [
    { label: 'OrganizationClient', base: '/organization/v3', get: () => org },
    { label: 'DirectoryClient', base: '/directory/v3', get: () => dir },
  ] as const;

  for (const kind of kinds) {
    describe(kind.label, () => {
      test('createService sends all five keys and the service reads back', async () => {
        const { client, transport } = kind.get();
        const name = uniqueName(`${kind.label} service`);
        const id = await client.createService(name);
        assert.deepEqual(transport.last, {
          method: 'POST',
          path: `${kind.base}/services`,
          subject: transport.last.subject,
          body: { name, description: null, icon: null, callback_url: null, active: true },
        });
        const service = await client.getService(id);
        assert.equal(service.id, id);
        assert.equal(service.name, name);
        assert.equal(service.description, null);
        assert.equal(service.icon, null);
        assert.equal(service.callbackUrl, null);
        assert.equal(service.active, true);

        const full = await client.createService(uniqueName('full'), {
          description: 'a description',
          icon: 'https://example.test/icon.png',
          callbackUrl: 'http://127.0.0.1:9/callback',
          active: false,
        });
        const [read] = await client.getServices([full]);
        assert.equal(read?.description, 'a description');
        assert.equal(read?.icon, 'https://example.test/icon.png');
        assert.equal(read?.callbackUrl, 'http://127.0.0.1:9/callback');
        assert.equal(read?.active, false);
      });

      test(
        'a duplicate name for the same owner is ServiceNameTaken; a missing ' + 'name or bad URL is InvalidParameters',
        async () => {
          const { client } = kind.get();
          const name = uniqueName('dup');
          await client.createService(name);
          await assert.rejects(
            client.createService(name),
            (e: unknown) => e instanceof ServiceNameTaken && e.errorCode === 'SVC-001',
          );
          await assert.rejects(
            client.createService(''),
            (e: unknown) => e instanceof InvalidParameters && e.errorCode === 'ARG-001',
          );
          await assert.rejects(
            client.createService(uniqueName('bad url'), { callbackUrl: 'ftp://example.test/x' }),
            InvalidParameters,
          );
        },
      );

      test("getAllServices lists the owner's services", async () => {
        const { client, transport } = kind.get();
        const id = await client.createService(uniqueName('listed'));
        const all = await client.getAllServices();
        assert.deepEqual(transport.last, {
          method: 'GET',
          path: `${kind.base}/services`,
          subject: transport.last.subject,
          body: undefined,
        });
        assert.ok(all.some((s) => s.id === id));
      });

      test(
        'getServices keeps the order; unknown ids are Forbidden as a whole; ' + 'malformed ids InvalidParameters',
        async () => {
          const { client } = kind.get();
          const a = await client.createService(uniqueName('order a'));
          const b = await client.createService(uniqueName('order b'));
          assert.deepEqual(
            (await client.getServices([b, a])).map((s) => s.id),
            [b, a],
          );
          await assert.rejects(
            client.getServices([a, UNKNOWN_ID]),
            (e: unknown) => e instanceof Forbidden && e.statusCode === 403,
          );
          await assert.rejects(client.getService(UNKNOWN_ID), Forbidden);
          await assert.rejects(client.getServices(['nope']), InvalidParameters);
          await assert.rejects(client.getService('nope'), InvalidParameters);
        },
      );

      test('getService on an empty API answer is UnexpectedAPIResponse', async () => {
        const { client, transport } = kind.get();
        const id = await client.createService(uniqueName('empty answer'));
        transport.rewriteNextAnswer(() => []);
        await assert.rejects(client.getService(id), UnexpectedAPIResponse);
      });

      test('updateService sends only the given keys; null clears; renaming works', async () => {
        const { client, transport } = kind.get();
        const id = await client.createService(uniqueName('update'), {
          description: 'old',
          icon: 'https://example.test/i.png',
          callbackUrl: 'http://127.0.0.1:9/cb',
        });
        const newName = uniqueName('renamed');
        await client.updateService(id, { name: newName, description: null, active: false });
        assert.deepEqual(transport.last.body, { service_id: id, name: newName, description: null, active: false });
        let service = await client.getService(id);
        assert.equal(service.name, newName);
        assert.equal(service.description, null);
        assert.equal(service.active, false);
        assert.equal(service.icon, 'https://example.test/i.png', 'keys not sent are unchanged');
        assert.equal(service.callbackUrl, 'http://127.0.0.1:9/cb');
        await client.updateService(id, { icon: null, callbackUrl: null, active: true });
        service = await client.getService(id);
        assert.equal(service.icon, null);
        assert.equal(service.callbackUrl, null);
        assert.equal(service.active, true);
      });

      test('updateService errors: ServiceNameTaken, Forbidden, InvalidParameters', async () => {
        const { client } = kind.get();
        const taken = uniqueName('taken');
        await client.createService(taken);
        const id = await client.createService(uniqueName('will rename'));
        await assert.rejects(client.updateService(id, { name: taken }), ServiceNameTaken);
        await assert.rejects(client.updateService(UNKNOWN_ID, { active: true }), Forbidden);
        await assert.rejects(client.updateService(id, { name: null }), InvalidParameters);
        await assert.rejects(client.updateService('nope', { active: true }), InvalidParameters);
      });

      test('service keys: add, list, update, remove', async () => {
        const { client, transport } = kind.get();
        const id = await client.createService(uniqueName('keys'));
        assert.deepEqual(await client.getServicePublicKeys(id), [], 'a new service has no keys');
        const kid = await client.addServicePublicKey(id, keyA.publicKey, {
          expires: new Date('2030-05-06T07:08:09.999Z'),
          active: false,
          keyType: KeyType.ENCRYPTION,
        });
        assert.equal(kid, keyId(keyA.publicKey));
        assert.deepEqual(transport.last, {
          method: 'POST',
          path: `${kind.base}/service/keys`,
          subject: transport.last.subject,
          body: {
            service_id: id,
            public_key: keyA.publicKey,
            date_expires: '2030-05-06T07:08:09Z',
            active: false,
            key_type: 1,
          },
        });
        const kidB = await client.addServicePublicKey(id, keyB.publicKey);
        const keys = await client.getServicePublicKeys(id);
        const a = keys.find((k) => k.id === kid);
        assert.equal(a?.publicKey, keyA.publicKey);
        assert.equal(a?.keyType, KeyType.ENCRYPTION);
        assert.equal(a?.active, false);
        assert.equal(a?.expires?.toISOString(), '2030-05-06T07:08:09.000Z');
        assert.equal(keys.find((k) => k.id === kidB)?.active, true);

        await client.updateServicePublicKey(id, kid, { active: true, expires: new Date('2032-01-01T00:00:00Z') });
        assert.deepEqual(transport.last.body, {
          service_id: id,
          key_id: kid,
          active: true,
          date_expires: '2032-01-01T00:00:00Z',
        });
        const updated = (await client.getServicePublicKeys(id)).find((k) => k.id === kid);
        assert.equal(updated?.active, true);
        assert.equal(updated?.expires?.toISOString(), '2032-01-01T00:00:00.000Z');

        await client.removeServicePublicKey(id, kid);
        assert.deepEqual(transport.last.body, { service_id: id, key_id: kid });
        assert.deepEqual(
          (await client.getServicePublicKeys(id)).map((k) => k.id),
          [kidB],
        );
      });

      test('service key errors: KEY-001, KEY-002, ARG-001, KEY-003 before KEY-004, 403', async () => {
        const { client } = kind.get();
        const id = await client.createService(uniqueName('key errors'));
        const kid = await client.addServicePublicKey(id, keyA.publicKey);
        await assert.rejects(client.addServicePublicKey(id, keyA.publicKey), PublicKeyAlreadyInUse);
        await assert.rejects(
          client.addServicePublicKey(id, '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'),
          InvalidPublicKey,
        );
        await assert.rejects(
          client.addServicePublicKey(id, keyB.publicKey, { keyType: 3 as KeyType }),
          InvalidParameters,
        );
        await assert.rejects(client.removeServicePublicKey(id, keyId(keyB.publicKey)), PublicKeyDoesNotExist);
        await assert.rejects(
          client.updateServicePublicKey(id, keyId(keyB.publicKey), { active: false }),
          PublicKeyDoesNotExist,
        );
        await assert.rejects(client.removeServicePublicKey(id, kid), LastRemainingKey);
        await assert.rejects(client.addServicePublicKey(UNKNOWN_ID, keyB.publicKey), Forbidden);
        await assert.rejects(client.getServicePublicKeys(UNKNOWN_ID), Forbidden);
        await assert.rejects(client.updateServicePublicKey(UNKNOWN_ID, kid), Forbidden);
        await assert.rejects(client.removeServicePublicKey(UNKNOWN_ID, kid), Forbidden);
        await assert.rejects(client.getServicePublicKeys('nope'), InvalidParameters);
        await assert.rejects(client.addServicePublicKey('nope', keyB.publicKey), InvalidParameters);
        await assert.rejects(client.updateServicePublicKey('nope', kid), InvalidParameters);
        await assert.rejects(client.removeServicePublicKey('nope', kid), InvalidParameters);
      });

      test("a key added for a service signs that service's requests at once", async () => {
        const { client } = kind.get();
        const id = await client.createService(uniqueName('signing'));
        await client.addServicePublicKey(id, keyA.publicKey);
        const serviceClient = new ServiceFactory(id, keyA.privateKey, { url: emulator.url }).makeServiceClient();
        // Authentication passes; the call then fails on its own merits (no such user).
        await assert.rejects(serviceClient.sessionEnd('nobody-here'), EntityNotFound);
      });
    });
  }

  test(
    'services are scoped to their owner: a directory service is foreign to ' + "the organization's service calls",
    async () => {
      const dirService = await dir.client.createService(uniqueName('dir owned'));
      const orgService = await org.client.createService(uniqueName('org owned'));
      await assert.rejects(org.client.getService(dirService), Forbidden);
      await assert.rejects(dir.client.getService(orgService), Forbidden);
      await assert.rejects(org.client.addServicePublicKey(dirService, keyA.publicKey), Forbidden);
      assert.ok(!(await org.client.getAllServices()).some((s) => s.id === dirService));
      assert.ok(!(await dir.client.getAllServices()).some((s) => s.id === orgService));
      const shared = uniqueName('same name, other owner');
      await org.client.createService(shared);
      await dir.client.createService(shared);
      const directory = await org.client.getDirectory(emulator.directory.id);
      assert.ok(directory.serviceIds.includes(dirService), "service_ids lists the directory's services");
      assert.ok(!directory.serviceIds.includes(orgService));
    },
  );

  test('the organization acts for its directory: a DirectoryClient made by the OrganizationFactory', async () => {
    const o = organizationFactory(emulator);
    const viaOrg = o.factory.makeDirectoryClient(emulator.directory.id);
    const id = await viaOrg.createService(uniqueName('via org'));
    assert.equal(o.transport.last.subject, `dir:${emulator.directory.id}`);
    assert.ok((await dir.client.getAllServices()).some((s) => s.id === id));
  });
});
