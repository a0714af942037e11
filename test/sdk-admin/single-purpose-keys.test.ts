/** The organization's single-purpose keys (docs/protocol.md §B1): signature-only and encryption-only credentials. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EntityKeyNotFound, OrganizationFactory, Unauthorized } from 'passport-truvalidate/sdk';
import { startTestEmulator, type Emulator } from '../fixtures/emulator';

describe('single-purpose organization keys', () => {
  let emulator: Emulator;

  before(async () => {
    emulator = await startTestEmulator();
  });
  after(async () => {
    await emulator.close();
  });

  test('a client holding only the signature key cannot read the answer: EntityKeyNotFound', async () => {
    const factory = new OrganizationFactory(emulator.organization.id, emulator.organization.signatureKey, {
      url: emulator.url,
    });
    await assert.rejects(factory.makeOrganizationClient().getAllDirectories(), EntityKeyNotFound);
  });

  test('with the encryption key added, the signature-key client succeeds', async () => {
    const factory = new OrganizationFactory(emulator.organization.id, emulator.organization.signatureKey, {
      url: emulator.url,
    });
    factory.addEncryptionPrivateKey(emulator.organization.encryptionKey);
    const client = factory.makeOrganizationClient();
    const directories = await client.getAllDirectories();
    assert.ok(directories.some((d) => d.id === emulator.directory.id));
    const id = await client.createDirectory('Made with single-purpose keys');
    assert.equal((await client.getDirectory(id)).name, 'Made with single-purpose keys');
  });

  test('an encryption-only key used to sign is refused: Unauthorized (401)', async () => {
    const factory = new OrganizationFactory(emulator.organization.id, emulator.organization.encryptionKey, {
      url: emulator.url,
    });
    await assert.rejects(
      factory.makeOrganizationClient().getAllDirectories(),
      (e: unknown) => e instanceof Unauthorized && e.statusCode === 401,
    );
  });

  test('the dual-purpose key works alone', async () => {
    const factory = new OrganizationFactory(emulator.organization.id, emulator.organization.privateKey, {
      url: emulator.url,
    });
    assert.ok((await factory.makeOrganizationClient().getAllServices()).every((s) => typeof s.id === 'string'));
  });
});
