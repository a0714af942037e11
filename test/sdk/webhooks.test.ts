/** Service webhooks from the emulator to a local receiver, decoded by the ServiceClient; forged and tampered
 * webhooks are refused (docs/protocol.md §11). */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CompactSign, decodeJwt, decodeProtectedHeader } from 'jose';
import {
  AdvancedAuthorizationResponse,
  AuthorizationResponse,
  ServiceFactory,
  SessionEndRequest,
  UnableToDecryptWebhookRequest,
  UnexpectedAuthorizationResponse,
  UnexpectedWebhookRequest,
  WebhookAuthorizationError,
  type ServiceClient,
} from '../../lib/sdk';
import { contentHash, encryptJwe } from '../../lib/sdk/transport/jose-primitives';
import { keyId, parseRsaPrivateKey, parseRsaPublicKey } from '../../lib/sdk/transport/keys';
import { verifyAndDecodeWebhook } from '../../lib/sdk/webhooks';
import { control, linkedUser, respond, startTestEmulator, type Emulator } from './helpers/emulator';
import { rsaPair } from './helpers/keys';
import { signWebhookJwt, startReceiver, type Delivery, type Receiver } from './helpers/receiver';

const HOOK_PATH = '/hooks/truvalidate';
let emu: Emulator;
let receiver: Receiver;
let client: ServiceClient;
let authDelivery: Delivery;
let sessionEndDelivery: Delivery;
let serviceUserHash: string;

function headersOf(d: Delivery): Record<string, string | string[] | undefined> {
  return { ...d.headers };
}

async function forge(
  token: string,
  mutate: (claims: Record<string, unknown>) => void,
  signPem: string,
): Promise<string> {
  const claims = decodeJwt(token) as Record<string, unknown>;
  mutate(claims);
  const header = decodeProtectedHeader(token) as { alg: string };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader(header)
    .sign(parseRsaPrivateKey(signPem));
}

before(async () => {
  emu = await startTestEmulator();
  receiver = await startReceiver();
  emu.setServiceCallbackUrl(emu.service.id, `${receiver.url}${HOOK_PATH}?source=tv`);
  client = new ServiceFactory(emu.service.id, emu.service.privateKey, { url: emu.url }).makeServiceClient();
  const user = await linkedUser(emu);
  const req = await client.authorizationRequest(user);
  await respond(emu, req.authRequest, 'approve');
  authDelivery = await receiver.next();
  const polled = await client.getAdvancedAuthorizationResponse(req.authRequest);
  serviceUserHash = polled?.serviceUserHash ?? '';
  await client.sessionStart(user, req.authRequest);
  await control(emu, 'POST', '/logout', { user, serviceId: emu.service.id });
  sessionEndDelivery = await receiver.next();
});
after(async () => {
  await receiver.close();
  await emu.close();
});

describe('decoding', () => {
  test('the authorization-response webhook decodes to an AdvancedAuthorizationResponse', async () => {
    assert.equal(authDelivery.method, 'POST');
    const res = await client.handleAdvancedWebhook(
      authDelivery.body,
      headersOf(authDelivery),
      'POST',
      authDelivery.url,
    );
    assert.ok(res instanceof AdvancedAuthorizationResponse);
    assert.equal(res.kind, 'authorization-response');
    assert.equal(res.authorized, true);
    assert.equal(res.serviceUserHash, serviceUserHash);
    assert.ok(res.authMethods && res.authMethods.length > 0);
  });

  test('the body may be given as a string; the deprecated handleWebhook gives an AuthorizationResponse', async () => {
    const res = await client.handleWebhook(
      authDelivery.body.toString('utf8'),
      headersOf(authDelivery),
      'POST',
      HOOK_PATH,
    );
    assert.ok(res instanceof AuthorizationResponse);
    assert.equal(res.authorized, true);
  });

  test('the session-end webhook decodes to a SessionEndRequest with a Date', async () => {
    const res = await client.handleAdvancedWebhook(
      sessionEndDelivery.body,
      headersOf(sessionEndDelivery),
      'POST',
      sessionEndDelivery.url,
    );
    assert.ok(res instanceof SessionEndRequest);
    assert.equal(res.kind, 'session-end');
    assert.equal(res.serviceUserHash, serviceUserHash);
    assert.ok(res.logoutRequested instanceof Date);
    assert.ok(Math.abs(res.logoutRequested.getTime() - Date.now()) < 60_000);
  });

  test('verifyAndDecodeWebhook exposes the verified jti for replay de-duplication', async () => {
    const transport = (client as unknown as { transport: Parameters<typeof verifyAndDecodeWebhook>[0] }).transport;
    const decoded = await verifyAndDecodeWebhook(
      transport,
      `svc:${emu.service.id}`,
      authDelivery.body,
      headersOf(authDelivery),
      'POST',
      HOOK_PATH,
    );
    assert.equal(decoded.encrypted, true);
    assert.match(String(decoded.jti), /^[0-9a-f-]{36}$/);
    assert.equal(decoded.jti, decodeJwt(String(authDelivery.headers['x-iov-jwt'])).jti);
  });
});

describe('refusals', () => {
  test('no X-IOV-JWT: WebhookAuthorizationError', async () => {
    const headers = headersOf(authDelivery);
    delete headers['x-iov-jwt'];
    await assert.rejects(
      client.handleAdvancedWebhook(authDelivery.body, headers, 'POST', HOOK_PATH),
      WebhookAuthorizationError,
    );
  });

  test('forged: the same claims signed by another key under the API kid', async () => {
    const headers = headersOf(sessionEndDelivery);
    headers['x-iov-jwt'] = await forge(String(headers['x-iov-jwt']), () => undefined, rsaPair().privateKey);
    await assert.rejects(
      client.handleAdvancedWebhook(sessionEndDelivery.body, headers, 'POST', HOOK_PATH),
      UnexpectedWebhookRequest,
    );
  });

  test('tampered session-end body (another user) is refused', async () => {
    const body = Buffer.from(sessionEndDelivery.body.toString('utf8').replace(serviceUserHash, 'A'.repeat(43)));
    assert.notDeepEqual(body, sessionEndDelivery.body);
    await assert.rejects(
      client.handleAdvancedWebhook(body, headersOf(sessionEndDelivery), 'POST', HOOK_PATH),
      UnexpectedWebhookRequest,
    );
  });

  test('tampered JWE body is refused before decryption', async () => {
    const text = authDelivery.body.toString('utf8');
    const body = text.slice(0, -4) + (text.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    await assert.rejects(
      client.handleAdvancedWebhook(body, headersOf(authDelivery), 'POST', HOOK_PATH),
      UnexpectedWebhookRequest,
    );
  });

  test('wrong method or path is refused', async () => {
    await assert.rejects(
      client.handleAdvancedWebhook(authDelivery.body, headersOf(authDelivery), 'PUT', HOOK_PATH),
      UnexpectedWebhookRequest,
    );
    await assert.rejects(
      client.handleAdvancedWebhook(authDelivery.body, headersOf(authDelivery), 'POST', '/other/path'),
      UnexpectedWebhookRequest,
    );
  });

  test('another service client (other subject) refuses it', async () => {
    const other = new ServiceFactory('0f0f0f0f-0000-1000-8000-000000000000', emu.service.privateKey, {
      url: emu.url,
    }).makeServiceClient();
    await assert.rejects(
      other.handleAdvancedWebhook(authDelivery.body, headersOf(authDelivery), 'POST', HOOK_PATH),
      UnexpectedWebhookRequest,
    );
  });

  test(
    'a correctly signed webhook whose JWE is for a key the client does not ' + 'hold: UnableToDecryptWebhookRequest',
    async () => {
      const stranger = parseRsaPublicKey(rsaPair().publicKey);
      const body = await encryptJwe('{"a":1}', stranger, keyId(stranger));
      const apiSigner = (emu.state.data as unknown as { apiKeys: Array<{ privateKey: string; id: string }> }).apiKeys;
      const token = String(authDelivery.headers['x-iov-jwt']);
      const kid = String(decodeProtectedHeader(token).kid);
      const signer = apiSigner.find((k) => k.id === kid);
      assert.ok(signer, 'the emulator API signing key is reachable in its state');
      const headers = headersOf(authDelivery);
      headers['x-iov-jwt'] = await forge(
        token,
        (c) => Object.assign(c['request'] as object, { hash: contentHash('S256', body) }),
        signer.privateKey,
      );
      await assert.rejects(
        client.handleAdvancedWebhook(body, headers, 'POST', HOOK_PATH),
        UnableToDecryptWebhookRequest,
      );
    },
  );
});

describe('bodies signed by the API key but not what the service expects', () => {
  async function signedWebhook(body: string): Promise<Record<string, string>> {
    const signer = (
      emu.state.data as unknown as { apiKeys: Array<{ privateKey: string; id: string; use: string; retired: boolean }> }
    ).apiKeys.find((k) => k.use !== 'enc' && !k.retired);
    assert.ok(signer);
    const jwt = await signWebhookJwt({
      serviceId: emu.service.id,
      body,
      path: HOOK_PATH,
      kid: signer.id,
      signPem: signer.privateKey,
    });
    return { 'X-IOV-JWT': jwt };
  }

  test('a session-end body without api_time, or not JSON, is UnexpectedWebhookRequest', async () => {
    for (const body of [
      JSON.stringify({ service_user_hash: 'abc' }),
      JSON.stringify({ service_user_hash: 'abc', api_time: 'soon' }),
      'service_user_hash=abc',
    ]) {
      await assert.rejects(
        client.handleAdvancedWebhook(body, await signedWebhook(body), 'POST', HOOK_PATH),
        UnexpectedWebhookRequest,
        body,
      );
    }
  });

  test('an encrypted event of an unknown type is ignored (null)', async () => {
    const key = parseRsaPublicKey(emu.service.privateKey);
    const body = await encryptJwe(JSON.stringify({ type: 'SOMETHING_NEW', x: 1 }), key, keyId(key));
    assert.equal(await client.handleAdvancedWebhook(body, await signedWebhook(body), 'POST', HOOK_PATH), null);
  });

  test('an authorization-response event lacking data is UnexpectedAuthorizationResponse', async () => {
    const key = parseRsaPublicKey(emu.service.privateKey);
    const body = await encryptJwe(
      JSON.stringify({ type: 'AUTHORIZATION_RESPONSE', service_user_hash: 'x' }),
      key,
      keyId(key),
    );
    await assert.rejects(
      client.handleAdvancedWebhook(body, await signedWebhook(body), 'POST', HOOK_PATH),
      UnexpectedAuthorizationResponse,
    );
  });
});
