/** DirectoryClient user calls and the device-link-completion webhook, against the emulator. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID, createPrivateKey, createPublicKey } from 'node:crypto';
import {
  DeviceLinkCompletionResponse,
  EntityNotFound,
  InvalidDeviceStatus,
  InvalidDirectoryIdentifier,
  InvalidParameters,
  OrganizationFactory,
  ServiceFactory,
  UnableToDecryptWebhookRequest,
  UnexpectedAPIResponse,
  UnexpectedWebhookRequest,
  WebhookAuthorizationError,
  keyId,
  type DirectoryClient,
  type OrganizationClient,
} from 'passport-truvalidate/sdk';
import { contentHash, encryptJwe, signJwt } from '../../lib/sdk/transport/jose-primitives';
import { captureWarnings, directoryFactory, organizationFactory, rsaKeyPair, type RecordingTransport } from './helpers';
import { control, startTestEmulator, type Emulator } from '../fixtures/emulator';

/** One request the local webhook receiver got, raw. */
interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A loopback HTTP server that records every request and answers 204. */
async function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

describe('DirectoryClient', () => {
  let emulator: Emulator;
  let client: DirectoryClient;
  let transport: RecordingTransport;
  let org: OrganizationClient;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  before(async () => {
    emulator = await startTestEmulator();
    receiver = await startReceiver();
    const d = directoryFactory(emulator);
    client = d.factory.makeDirectoryClient();
    transport = d.transport;
    org = organizationFactory(emulator).factory.makeOrganizationClient();
  });
  after(async () => {
    await emulator.close();
    await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
  });

  test('linkDevice returns the link data; the pending then linked device is listed', async () => {
    const user = `link-${randomUUID()}`;
    const link = await client.linkDevice(user, { ttl: 300 });
    assert.deepEqual(transport.last, {
      method: 'POST',
      path: '/directory/v3/devices',
      subject: `dir:${emulator.directory.id}`,
      body: { identifier: user, ttl: 300 },
    });
    assert.match(link.code, /^[A-Za-z0-9]{7}$/, 'the emulator gives 7 letters and digits (the API: at least 7)');
    assert.ok(new URL(link.qrcode).protocol.startsWith('http'), 'qrcode is an absolute URL');
    assert.match(link.deviceId, /^[0-9a-f-]{36}$/);

    let devices = await client.getLinkedDevices(user);
    assert.equal(devices.length, 1);
    assert.equal(devices[0]?.id, link.deviceId);
    assert.equal(devices[0]?.status.statusCode, 'LINK_PENDING');
    assert.equal(devices[0]?.status.isActive, false);

    await control(emulator, 'POST', '/devices/link', { code: link.code });
    devices = await client.getLinkedDevices(user);
    assert.equal(devices[0]?.status.statusCode, 'LINKED');
    assert.equal(devices[0]?.status.isActive, true);
    await client.linkDevice(`${user}-no-ttl`);
    assert.deepEqual(transport.last.body, { identifier: `${user}-no-ttl` }, 'ttl is not sent when omitted');
  });

  test(
    'linkDevice errors: an empty identifier is InvalidDirectoryIdentifier, ' + 'a bad ttl InvalidParameters',
    async () => {
      await assert.rejects(
        client.linkDevice(''),
        (e: unknown) => e instanceof InvalidDirectoryIdentifier && e.errorCode === 'DIR-001',
      );
      await assert.rejects(
        client.linkDevice('someone', { ttl: -5 }),
        (e: unknown) => e instanceof InvalidParameters && e.errorCode === 'ARG-001',
      );
    },
  );

  test('getLinkedDevices: an unknown user has none; an unknown status code is InvalidDeviceStatus', async () => {
    assert.deepEqual(await client.getLinkedDevices(`never-${randomUUID()}`), []);
    const user = `status-${randomUUID()}`;
    await emulator.linkUser(user);
    transport.rewriteNextAnswer((data) => (data as Array<Record<string, unknown>>).map((d) => ({ ...d, status: 7 })));
    await assert.rejects(client.getLinkedDevices(user), InvalidDeviceStatus);
    transport.rewriteNextAnswer(() => ({ not: 'an array' }));
    await assert.rejects(client.getLinkedDevices(user), UnexpectedAPIResponse);
  });

  test('unlinkDevice removes a device; unknown user or device is EntityNotFound', async () => {
    const user = `unlink-${randomUUID()}`;
    const { deviceId } = await emulator.linkUser(user);
    const pending = await client.linkDevice(user);
    await client.unlinkDevice(user, pending.deviceId);
    assert.deepEqual(transport.last.body, { identifier: user, device_id: pending.deviceId });
    assert.deepEqual(
      (await client.getLinkedDevices(user)).map((d) => d.id),
      [deviceId],
    );
    await assert.rejects(
      client.unlinkDevice(user, randomUUID()),
      (e: unknown) => e instanceof EntityNotFound && e.statusCode === 404,
    );
    await assert.rejects(client.unlinkDevice(`nobody-${randomUUID()}`, deviceId), EntityNotFound);
  });

  test('getAllServiceSessions and endAllServiceSessions', async () => {
    const user = `sessions-${randomUUID()}`;
    await emulator.linkUser(user);
    assert.deepEqual(await client.getAllServiceSessions(user), []);
    const service = new ServiceFactory(emulator.service.id, emulator.service.privateKey, {
      url: emulator.url,
    }).makeServiceClient();
    await service.sessionStart(user, null);
    const sessions = await client.getAllServiceSessions(user);
    assert.equal(sessions.length, 1);
    assert.equal(sessions[0]?.serviceId, emulator.service.id);
    assert.equal(sessions[0]?.serviceName, 'Emulator Service');
    assert.ok(sessions[0]?.created instanceof Date);
    await client.endAllServiceSessions(user);
    assert.deepEqual(transport.last, {
      method: 'DELETE',
      path: '/directory/v3/sessions',
      subject: `dir:${emulator.directory.id}`,
      body: { identifier: user },
    });
    assert.deepEqual(await client.getAllServiceSessions(user), []);
  });

  test(
    'session calls for an unknown user are EntityNotFound; an empty ' + 'identifier InvalidDirectoryIdentifier',
    async () => {
      await assert.rejects(client.getAllServiceSessions(`nobody-${randomUUID()}`), EntityNotFound);
      await assert.rejects(client.endAllServiceSessions(`nobody-${randomUUID()}`), EntityNotFound);
      await assert.rejects(client.getAllServiceSessions(''), InvalidDirectoryIdentifier);
    },
  );

  test('generateUserTotp creates a secret the service can verify; removeUserTotp removes it', async () => {
    const user = `totp-${randomUUID()}`;
    const totp = await client.generateUserTotp(user);
    assert.match(totp.secret, /^[A-Z2-7]{32}$/);
    // The API allows SHA1/SHA256/SHA512, 6 digits or more, 30 s or more (docs/protocol.md §B10); the emulator's are:
    assert.deepEqual([totp.algorithm, totp.digits, totp.period], ['SHA1', 6, 30]);
    const again = await client.generateUserTotp(user);
    assert.notEqual(again.secret, totp.secret, 'generating again replaces the secret');

    const { code } = (await control(emulator, 'GET', `/totp/${encodeURIComponent(user)}`)) as { code: string };
    const service = new ServiceFactory(emulator.service.id, emulator.service.privateKey, {
      url: emulator.url,
    }).makeServiceClient();
    assert.equal(await service.verifyTotp(user, code), true);

    await client.removeUserTotp(user);
    assert.deepEqual(transport.last, {
      method: 'DELETE',
      path: '/directory/v3/totp',
      subject: `dir:${emulator.directory.id}`,
      body: { identifier: user },
    });
    await assert.rejects(service.verifyTotp(user, code), EntityNotFound);
    await client.removeUserTotp(`never-had-totp-${randomUUID()}`);
    await assert.rejects(client.generateUserTotp(''), InvalidDirectoryIdentifier);
  });

  describe('handleWebhook', () => {
    test('decodes the device link completion sent to the webhook URL set by updateDirectory', async () => {
      await org.updateDirectory(emulator.directory.id, { webhookUrl: `${receiver.url}/hooks/directory?tenant=1` });
      const user = `webhook-${randomUUID()}`;
      const link = await client.linkDevice(user);
      const before = receiver.received.length;
      await control(emulator, 'POST', '/devices/link', { code: link.code });
      const hook = receiver.received[before];
      assert.ok(hook, 'the emulator delivered the webhook');
      assert.equal(hook.method, 'POST');
      const result = await client.handleWebhook(hook.body, hook.headers, hook.method, hook.url);
      assert.ok(result instanceof DeviceLinkCompletionResponse);
      assert.equal(result.deviceId, link.deviceId);
      assert.match(result.devicePublicKey, /-----BEGIN PUBLIC KEY-----/);
      assert.equal(result.devicePublicKeyId, keyId(result.devicePublicKey));

      // the same delivery, tampered or incomplete
      await assert.rejects(client.handleWebhook(hook.body, {}, 'POST', hook.url), WebhookAuthorizationError);
      await assert.rejects(
        client.handleWebhook(hook.body, hook.headers, 'POST', '/another/path'),
        UnexpectedWebhookRequest,
      );
      await assert.rejects(client.handleWebhook(hook.body, hook.headers, 'PUT', hook.url), UnexpectedWebhookRequest);
      const tampered = Buffer.from(hook.body);
      tampered[tampered.length - 2] = tampered[tampered.length - 2] === 0x41 ? 0x42 : 0x41;
      await assert.rejects(client.handleWebhook(tampered, hook.headers, 'POST', hook.url), UnexpectedWebhookRequest);
      // another directory's client: the webhook is not addressed to it
      const otherDir = await org.createDirectory(`webhook other ${randomUUID()}`);
      const viaOrg = new OrganizationFactory(emulator.organization.id, emulator.organization.privateKey, {
        url: emulator.url,
      }).makeDirectoryClient(otherDir);
      await assert.rejects(viaOrg.handleWebhook(hook.body, hook.headers, 'POST', hook.url), UnexpectedWebhookRequest);
      await org.updateDirectory(emulator.directory.id, { webhookUrl: null });
    });

    /** A webhook built the way the emulator builds them (API signing key, JWE to a key), with any payload. */
    async function apiWebhook(
      payload: unknown,
      encryptTo: string,
      path: string,
    ): Promise<{ body: string; headers: Record<string, string> }> {
      const apiKey = emulator.state.apiSigningKey();
      const body = await encryptJwe(JSON.stringify(payload), createPublicKey(encryptTo), keyId(encryptTo));
      const now = Math.floor(Date.now() / 1000);
      const jwt = await signJwt(
        {
          iss: 'lka',
          aud: `dir:${emulator.directory.id}`,
          sub: `dir:${emulator.directory.id}`,
          iat: now,
          nbf: now,
          exp: now + 30,
          jti: randomUUID(),
          request: { meth: 'POST', path, func: 'S256', hash: contentHash('S256', body) },
        },
        createPrivateKey(apiKey.privateKey),
        'RS256',
        apiKey.id,
        'JWT',
      );
      return { body, headers: { 'X-IOV-JWT': jwt, 'Content-Type': 'application/jose' } };
    }

    test('an unknown directory webhook payload warns and gives null', async () => {
      const { body, headers } = await apiWebhook(
        { type: 'SOMETHING_NEW', device_id: randomUUID() },
        emulator.directory.privateKey,
        '/hooks',
      );
      const { result, warnings } = await captureWarnings(() => client.handleWebhook(body, headers, 'POST', '/hooks'));
      assert.equal(result, null);
      assert.ok(warnings.some((w) => w.includes('an SDK update may add support')));
    });

    test('a body encrypted to a key the client does not hold is UnableToDecryptWebhookRequest', async () => {
      const stranger = rsaKeyPair();
      const { body, headers } = await apiWebhook({ type: 'DEVICE_LINK_COMPLETION' }, stranger.privateKey, '/hooks');
      await assert.rejects(client.handleWebhook(body, headers, 'POST', '/hooks'), UnableToDecryptWebhookRequest);
    });
  });
});
