/** OrganizationClient directory calls against the emulator: directories, directory keys, SDK keys. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DirectoryFactory,
  DirectoryNameInUse,
  Forbidden,
  InvalidParameters,
  InvalidPublicKey,
  InvalidSDKKey,
  KeyType,
  LastRemainingKey,
  LastRemainingSDKKey,
  PublicKeyAlreadyInUse,
  PublicKeyDoesNotExist,
  UnexpectedAPIResponse,
  keyId,
  type OrganizationClient,
} from 'passport-truvalidate/sdk';
import { UNKNOWN_ID, organizationFactory, rsaKeyPair, type RecordingTransport } from './helpers';
import { startTestEmulator, type Emulator } from '../fixtures/emulator';

const FIXTURES = join(__dirname, 'fixtures');
/** SHA-256 fingerprint of fixtures/expired-cert.pem as printed by `openssl x509 -noout -fingerprint -sha256`. */
const EXPIRED_CERT_SHA256 =
  '79:E1:C9:79:F4:DE:CE:77:67:F5:01:1D:D9:08:01:0E:04:FE:89:21:36:29:45:5A:F8:33:65:35:3D:FB:81:D2';

describe('OrganizationClient: directories, directory keys, SDK keys', () => {
  let emulator: Emulator;
  let client: OrganizationClient;
  let transport: RecordingTransport;
  const keyA = rsaKeyPair();
  const keyB = rsaKeyPair();
  let counter = 0;
  const uniqueName = (prefix: string): string => `${prefix} ${++counter}`;

  before(async () => {
    emulator = await startTestEmulator();
    const made = organizationFactory(emulator);
    client = made.factory.makeOrganizationClient();
    transport = made.transport;
  });
  after(async () => {
    await emulator.close();
  });

  describe('createDirectory / getDirectory / getDirectories / getAllDirectories', () => {
    test('a new directory has the documented defaults', async () => {
      const name = uniqueName('Defaults');
      const id = await client.createDirectory(name);
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.deepEqual(transport.last, {
        method: 'POST',
        path: '/organization/v3/directories',
        subject: `org:${emulator.organization.id}`,
        body: { name },
      });
      const directory = await client.getDirectory(id);
      assert.equal(directory.id, id);
      assert.equal(directory.name, name);
      assert.equal(directory.active, true);
      assert.equal(directory.denialContextInquiryEnabled, true);
      assert.deepEqual(directory.serviceIds, []);
      assert.deepEqual(directory.sdkKeys, []);
      assert.equal(directory.premium, false);
      assert.equal(directory.androidKey, null);
      assert.equal(directory.iosCertificateFingerprint, null);
      assert.equal(directory.webhookUrl, null);
      assert.deepEqual(await client.getDirectoryPublicKeys(id), []);
    });

    test('a duplicate name in the organization is DirectoryNameInUse (ORG-003)', async () => {
      const name = uniqueName('Duplicate');
      await client.createDirectory(name);
      await assert.rejects(
        client.createDirectory(name),
        (e: unknown) => e instanceof DirectoryNameInUse && e.errorCode === 'ORG-003',
      );
    });

    test('an empty name is InvalidParameters (ARG-001)', async () => {
      await assert.rejects(
        client.createDirectory(''),
        (e: unknown) => e instanceof InvalidParameters && e.errorCode === 'ARG-001',
      );
    });

    test('getAllDirectories lists the first-start directory and new ones', async () => {
      const id = await client.createDirectory(uniqueName('Listed'));
      const all = await client.getAllDirectories();
      const ids = all.map((d) => d.id);
      assert.ok(ids.includes(emulator.directory.id));
      assert.ok(ids.includes(id));
      const first = all.find((d) => d.id === emulator.directory.id);
      assert.ok(
        first?.serviceIds.includes(emulator.service.id),
        'the first-start service belongs to the first directory',
      );
    });

    test('getDirectories returns the asked directories in order', async () => {
      const a = await client.createDirectory(uniqueName('Order A'));
      const b = await client.createDirectory(uniqueName('Order B'));
      const got = await client.getDirectories([b, a]);
      assert.deepEqual(
        got.map((d) => d.id),
        [b, a],
      );
      assert.deepEqual(transport.last.body, { directory_ids: [b, a] });
    });

    test('an unknown id fails the whole list with Forbidden (403)', async () => {
      await assert.rejects(
        client.getDirectories([emulator.directory.id, UNKNOWN_ID]),
        (e: unknown) => e instanceof Forbidden && e.statusCode === 403,
      );
      await assert.rejects(client.getDirectory(UNKNOWN_ID), Forbidden);
    });

    test('a malformed id is InvalidParameters', async () => {
      await assert.rejects(client.getDirectories(['not-a-uuid']), InvalidParameters);
      await assert.rejects(client.getDirectory('not-a-uuid'), InvalidParameters);
      await assert.rejects(client.updateDirectory('not-a-uuid', { active: true }), InvalidParameters);
    });

    test('getDirectory on an empty API answer is UnexpectedAPIResponse', async () => {
      transport.rewriteNextAnswer(() => []);
      await assert.rejects(client.getDirectory(emulator.directory.id), UnexpectedAPIResponse);
    });
  });

  describe('updateDirectory', () => {
    test('sets every field, then null clears the nullable ones', async () => {
      const id = await client.createDirectory(uniqueName('Update'));
      const p12 = readFileSync(join(FIXTURES, 'expired-cert-aes.p12'));
      await client.updateDirectory(id, {
        iosP12: p12,
        androidKey: 'android-server-key',
        active: false,
        denialContextInquiryEnabled: false,
        webhookUrl: 'http://127.0.0.1:9/hooks/directory',
      });
      const sent = transport.last.body as Record<string, unknown>;
      assert.deepEqual(Object.keys(sent).sort(), [
        'active',
        'android_key',
        'denial_context_inquiry_enabled',
        'directory_id',
        'ios_p12',
        'webhook_url',
      ]);
      const lines = (sent['ios_p12'] as string).split('\n');
      assert.equal(lines.pop(), '', 'ios_p12 ends with a line break');
      assert.ok(
        lines.every((l) => l.length <= 76) && lines.slice(0, -1).every((l) => l.length === 76),
        'MIME lines of 76 characters',
      );
      assert.equal(Buffer.from(lines.join(''), 'base64').equals(p12), true);

      let directory = await client.getDirectory(id);
      assert.equal(directory.iosCertificateFingerprint, EXPIRED_CERT_SHA256, 'expired certificates are accepted');
      assert.equal(directory.androidKey, 'android-server-key');
      assert.equal(directory.active, false);
      assert.equal(directory.denialContextInquiryEnabled, false);
      assert.equal(directory.webhookUrl, 'http://127.0.0.1:9/hooks/directory');

      await client.updateDirectory(id, { iosP12: null, androidKey: null, webhookUrl: null });
      assert.deepEqual(transport.last.body, { directory_id: id, ios_p12: null, android_key: null, webhook_url: null });
      directory = await client.getDirectory(id);
      assert.equal(directory.iosCertificateFingerprint, null);
      assert.equal(directory.androidKey, null);
      assert.equal(directory.webhookUrl, null);
      assert.equal(directory.active, false, 'fields not sent are unchanged');
      assert.equal(directory.denialContextInquiryEnabled, false);
    });

    test('3DES- and RC2-protected password-less PKCS#12 files give the same fingerprint', async () => {
      for (const file of ['expired-cert-3des.p12', 'expired-cert-rc2.p12']) {
        const id = await client.createDirectory(uniqueName(`Update ${file}`));
        await client.updateDirectory(id, { iosP12: readFileSync(join(FIXTURES, file)) });
        assert.equal((await client.getDirectory(id)).iosCertificateFingerprint, EXPIRED_CERT_SHA256, file);
      }
    });

    test('a PKCS#12 with a password, or bytes that are no PKCS#12, are InvalidParameters', async () => {
      const id = await client.createDirectory(uniqueName('Update bad p12'));
      await assert.rejects(
        client.updateDirectory(id, { iosP12: readFileSync(join(FIXTURES, 'expired-cert-password.p12')) }),
        InvalidParameters,
      );
      await assert.rejects(
        client.updateDirectory(id, { iosP12: Buffer.from('definitely not a pkcs12 file') }),
        InvalidParameters,
      );
      await assert.rejects(client.updateDirectory(id, { webhookUrl: 'not a url' }), InvalidParameters);
    });

    test('an unknown directory is Forbidden', async () => {
      await assert.rejects(client.updateDirectory(UNKNOWN_ID, { active: true }), Forbidden);
    });
  });

  describe('directory public keys', () => {
    test('add, list (PEM exactly as submitted), update, remove', async () => {
      const id = await client.createDirectory(uniqueName('Keys'));
      const expires = new Date(Date.UTC(2031, 0, 2, 3, 4, 5, 678));
      const pem = `${keyA.publicKey.trimEnd()}\n`;
      const kid = await client.addDirectoryPublicKey(id, pem, { expires, active: true, keyType: KeyType.SIGNATURE });
      assert.equal(kid, keyId(pem));
      assert.deepEqual(transport.last.body, {
        directory_id: id,
        public_key: pem,
        date_expires: '2031-01-02T03:04:05Z',
        active: true,
        key_type: 2,
      });
      const kidB = await client.addDirectoryPublicKey(id, keyB.publicKey);
      assert.deepEqual(
        transport.last.body,
        { directory_id: id, public_key: keyB.publicKey },
        'omitted options are not sent',
      );

      let keys = await client.getDirectoryPublicKeys(id);
      assert.equal(keys.length, 2);
      const a = keys.find((k) => k.id === kid);
      const b = keys.find((k) => k.id === kidB);
      assert.ok(a && b);
      assert.equal(a.publicKey, pem);
      assert.equal(a.keyType, KeyType.SIGNATURE);
      assert.equal(a.active, true);
      assert.equal(a.expires?.toISOString(), '2031-01-02T03:04:05.000Z');
      assert.ok(a.created instanceof Date && Math.abs(a.created.getTime() - Date.now()) < 120_000);
      assert.equal(b.keyType, KeyType.BOTH, 'key_type defaults to BOTH');
      assert.equal(b.expires, null);

      await client.updateDirectoryPublicKey(id, kid, { active: false, expires: null });
      assert.deepEqual(transport.last.body, { directory_id: id, key_id: kid, active: false, date_expires: null });
      keys = await client.getDirectoryPublicKeys(id);
      const updated = keys.find((k) => k.id === kid);
      assert.equal(updated?.active, false);
      assert.equal(updated?.expires, null);

      await client.removeDirectoryPublicKey(id, kid);
      assert.deepEqual(
        (await client.getDirectoryPublicKeys(id)).map((k) => k.id),
        [kidB],
      );
    });

    test('the same PEM on one directory is PublicKeyAlreadyInUse; on another directory it is fine', async () => {
      const id = await client.createDirectory(uniqueName('Dup key'));
      const other = await client.createDirectory(uniqueName('Dup key other'));
      await client.addDirectoryPublicKey(id, keyA.publicKey);
      await assert.rejects(
        client.addDirectoryPublicKey(id, keyA.publicKey),
        (e: unknown) => e instanceof PublicKeyAlreadyInUse && e.errorCode === 'KEY-002',
      );
      assert.equal(await client.addDirectoryPublicKey(other, keyA.publicKey), keyId(keyA.publicKey));
    });

    test('an invalid PEM is InvalidPublicKey (KEY-001); a bad key type is InvalidParameters', async () => {
      const id = await client.createDirectory(uniqueName('Bad key'));
      await assert.rejects(
        client.addDirectoryPublicKey(id, 'not a pem'),
        (e: unknown) => e instanceof InvalidPublicKey && e.errorCode === 'KEY-001',
      );
      await assert.rejects(client.addDirectoryPublicKey(id, keyA.privateKey), InvalidPublicKey);
      await assert.rejects(
        client.addDirectoryPublicKey(id, keyA.publicKey, { keyType: KeyType.OTHER }),
        (e: unknown) => e instanceof InvalidParameters && e.errorCode === 'ARG-001',
      );
      await assert.rejects(
        client.addDirectoryPublicKey(id, keyA.publicKey, { keyType: 7 as KeyType }),
        InvalidParameters,
      );
    });

    test('unknown key ids are PublicKeyDoesNotExist, checked before LastRemainingKey', async () => {
      const id = await client.createDirectory(uniqueName('Last key'));
      const kid = await client.addDirectoryPublicKey(id, keyA.publicKey);
      const otherKid = keyId(keyB.publicKey);
      await assert.rejects(
        client.removeDirectoryPublicKey(id, otherKid),
        (e: unknown) => e instanceof PublicKeyDoesNotExist && e.errorCode === 'KEY-003',
      );
      await assert.rejects(client.updateDirectoryPublicKey(id, otherKid, { active: false }), PublicKeyDoesNotExist);
      await assert.rejects(
        client.updateDirectoryPublicKey(id, otherKid),
        PublicKeyDoesNotExist,
        'a patch with only the ids is validated',
      );
      await assert.rejects(
        client.removeDirectoryPublicKey(id, kid),
        (e: unknown) => e instanceof LastRemainingKey && e.errorCode === 'KEY-004',
      );
    });

    test('key calls on an unknown directory are Forbidden; a malformed id is InvalidParameters', async () => {
      await assert.rejects(client.getDirectoryPublicKeys(UNKNOWN_ID), Forbidden);
      await assert.rejects(client.addDirectoryPublicKey(UNKNOWN_ID, keyA.publicKey), Forbidden);
      await assert.rejects(client.updateDirectoryPublicKey(UNKNOWN_ID, keyId(keyA.publicKey)), Forbidden);
      await assert.rejects(client.removeDirectoryPublicKey(UNKNOWN_ID, keyId(keyA.publicKey)), Forbidden);
      await assert.rejects(client.getDirectoryPublicKeys('nope'), InvalidParameters);
      await assert.rejects(client.addDirectoryPublicKey('nope', keyA.publicKey), InvalidParameters);
      await assert.rejects(client.updateDirectoryPublicKey('nope', keyId(keyA.publicKey)), InvalidParameters);
      await assert.rejects(client.removeDirectoryPublicKey('nope', keyId(keyA.publicKey)), InvalidParameters);
    });

    test("a key added for a directory signs that directory's requests at once", async () => {
      const id = await client.createDirectory(uniqueName('Signing'));
      await client.addDirectoryPublicKey(id, keyA.publicKey);
      const directoryClient = new DirectoryFactory(id, keyA.privateKey, { url: emulator.url }).makeDirectoryClient();
      assert.deepEqual(await directoryClient.getAllServices(), []);
    });
  });

  describe('SDK keys', () => {
    test('generate, list, remove', async () => {
      const id = await client.createDirectory(uniqueName('SDK keys'));
      assert.deepEqual(await client.getAllDirectorySdkKeys(id), []);
      const first = await client.generateAndAddDirectorySdkKey(id);
      const second = await client.generateAndAddDirectorySdkKey(id);
      assert.match(first, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.notEqual(first, second);
      assert.deepEqual(await client.getAllDirectorySdkKeys(id), [first, second]);
      assert.deepEqual((await client.getDirectory(id)).sdkKeys, [first, second]);
      await client.removeDirectorySdkKey(id, first);
      assert.deepEqual(transport.last.body, { directory_id: id, sdk_key: first });
      assert.deepEqual(await client.getAllDirectorySdkKeys(id), [second]);
    });

    test('a key the directory does not hold is InvalidSDKKey; the last one is LastRemainingSDKKey', async () => {
      const id = await client.createDirectory(uniqueName('SDK key errors'));
      const other = await client.createDirectory(uniqueName('SDK key errors other'));
      const only = await client.generateAndAddDirectorySdkKey(id);
      const foreign = await client.generateAndAddDirectorySdkKey(other);
      await assert.rejects(
        client.removeDirectorySdkKey(id, foreign),
        (e: unknown) => e instanceof InvalidSDKKey && e.errorCode === 'ORG-006',
      );
      await assert.rejects(
        client.removeDirectorySdkKey(id, only),
        (e: unknown) => e instanceof LastRemainingSDKKey && e.errorCode === 'ORG-005',
      );
    });

    test('SDK key calls on an unknown directory are Forbidden; a malformed id is InvalidParameters', async () => {
      await assert.rejects(client.generateAndAddDirectorySdkKey(UNKNOWN_ID), Forbidden);
      await assert.rejects(client.getAllDirectorySdkKeys(UNKNOWN_ID), Forbidden);
      await assert.rejects(client.removeDirectorySdkKey(UNKNOWN_ID, UNKNOWN_ID), Forbidden);
      await assert.rejects(client.generateAndAddDirectorySdkKey('nope'), InvalidParameters);
      await assert.rejects(client.getAllDirectorySdkKeys('nope'), InvalidParameters);
      await assert.rejects(client.removeDirectorySdkKey('nope', UNKNOWN_ID), InvalidParameters);
    });

    test('an SDK key list that is not an array of strings is UnexpectedAPIResponse', async () => {
      transport.rewriteNextAnswer(() => [42]);
      await assert.rejects(client.getAllDirectorySdkKeys(emulator.directory.id), UnexpectedAPIResponse);
    });
  });
});
