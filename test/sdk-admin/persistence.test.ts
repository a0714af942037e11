/** Management data lives in the emulator state and survives a restart with the same data directory. */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DirectoryFactory,
  EntityNotFound,
  FactorsPolicy,
  KeyType,
  OrganizationFactory,
  ServiceFactory,
  TerritoryFence,
} from 'passport-truvalidate/sdk';
import { rsaKeyPair } from './helpers';
import { startTestEmulator } from '../fixtures/emulator';

describe('persistence of management data', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tv-admin-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test(
    'directories, keys, SDK keys, services and policies are there after a ' + 'restart, and added keys still sign',
    async () => {
      const dirKey = rsaKeyPair();
      const svcKey = rsaKeyPair();
      const policy = new FactorsPolicy({
        knowledgeRequired: true,
        fences: [new TerritoryFence('CA', { administrativeArea: 'CA-QC', name: 'Quebec' })],
      });

      const first = await startTestEmulator({ dataDir });
      const credentials = { id: first.organization.id, key: first.organization.privateKey };
      let directoryId: string;
      let serviceId: string;
      let sdkKey: string;
      try {
        const factory = new OrganizationFactory(credentials.id, credentials.key, { url: first.url });
        const org = factory.makeOrganizationClient();
        directoryId = await org.createDirectory('Persisted directory');
        await org.addDirectoryPublicKey(directoryId, dirKey.publicKey, { keyType: KeyType.BOTH });
        sdkKey = await org.generateAndAddDirectorySdkKey(directoryId);
        await org.updateDirectory(directoryId, {
          androidKey: 'persisted-android-key',
          denialContextInquiryEnabled: false,
        });
        const dir = factory.makeDirectoryClient(directoryId);
        serviceId = await dir.createService('Persisted service', { description: 'kept' });
        await dir.addServicePublicKey(serviceId, svcKey.publicKey);
        await dir.setAdvancedServicePolicy(serviceId, policy);
      } finally {
        await first.close();
      }

      const second = await startTestEmulator({ dataDir });
      try {
        assert.equal(second.organization.id, credentials.id);
        const org = new OrganizationFactory(credentials.id, credentials.key, {
          url: second.url,
        }).makeOrganizationClient();
        const directory = await org.getDirectory(directoryId);
        assert.equal(directory.name, 'Persisted directory');
        assert.deepEqual(directory.sdkKeys, [sdkKey]);
        assert.deepEqual(directory.serviceIds, [serviceId]);
        assert.equal(directory.androidKey, 'persisted-android-key');
        assert.equal(directory.denialContextInquiryEnabled, false);
        const keys = await org.getDirectoryPublicKeys(directoryId);
        assert.equal(keys[0]?.publicKey, dirKey.publicKey);

        const dir = new DirectoryFactory(directoryId, dirKey.privateKey, { url: second.url }).makeDirectoryClient();
        const service = await dir.getService(serviceId);
        assert.equal(service.name, 'Persisted service');
        assert.equal(service.description, 'kept');
        assert.deepEqual((await dir.getAdvancedServicePolicy(serviceId)).toJSON(), policy.toJSON());

        const svc = new ServiceFactory(serviceId, svcKey.privateKey, { url: second.url }).makeServiceClient();
        await assert.rejects(svc.sessionEnd('nobody'), EntityNotFound, 'the persisted service key authenticates');
      } finally {
        await second.close();
      }
    },
  );
});
