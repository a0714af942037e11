/**
 * Adversarial answers: a tampering proxy between the SDK and the emulator changes one thing per test; the SDK
 * must refuse each with the right error class (docs/protocol.md §6.3, §2.4).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import {
  EntityNotFound,
  JWTValidationFailure,
  ServiceFactory,
  UnexpectedAPIResponse,
  type ServiceClient,
} from '../../lib/sdk';
import { startTestEmulator, type Emulator } from './helpers/emulator';
import { rsaPair } from './helpers/keys';
import { startTamperProxy, type ProxiedAnswer, type TamperProxy } from './helpers/tamper-proxy';

const AUTHS = '/service/v3/auths';
let emu: Emulator;
let proxy: TamperProxy;
let client: ServiceClient;
let bystander: Server;
let bystanderHits = 0;

before(async () => {
  emu = await startTestEmulator();
  proxy = await startTamperProxy(emu.url, rsaPair().privateKey);
  client = new ServiceFactory(emu.service.id, emu.service.privateKey, { url: proxy.url }).makeServiceClient();
  bystander = createServer((_req, res) => {
    bystanderHits++;
    res.writeHead(200).end('{}');
  });
  await new Promise<void>((r) => bystander.listen(0, '127.0.0.1', r));
});
after(async () => {
  await proxy.close();
  await new Promise<void>((r) => bystander.close(() => r()));
  await emu.close();
});

/** Arms `change` for the next answer to `POST /service/v3/auths` (an unknown user: a 404 with an encrypted body). */
function onAuths(change: (a: ProxiedAnswer) => void | Promise<void>): void {
  proxy.rewriteNext(async (a) => {
    if (a.method !== 'POST' || a.path !== AUTHS) return false;
    await change(a);
  });
}

const call = () => client.authorizationRequest('no-such-user');

test('control: an untouched answer, and one re-signed by the proxy without changes, give the API error', async () => {
  await assert.rejects(call(), EntityNotFound);
  onAuths((a) => proxy.resign(a, () => undefined));
  await assert.rejects(call(), EntityNotFound);
});

describe('JWT checks', () => {
  const claimCases: Array<[string, (c: Record<string, unknown>, h: Record<string, unknown>) => void]> = [
    ['iss', (c) => (c['iss'] = 'not-lka')],
    ['aud', (c) => (c['aud'] = 'svc:00000000-0000-1000-8000-000000000000')],
    ['sub', (c) => (c['sub'] = 'svc:00000000-0000-1000-8000-000000000000')],
    ['jti', (c) => (c['jti'] = '00000000-0000-4000-8000-000000000000')],
    ['status', (c) => ((c['response'] as Record<string, unknown>)['status'] = 201)],
    ['hash', (c) => ((c['response'] as Record<string, unknown>)['hash'] = '0'.repeat(64))],
    ['exp in the past', (c) => (c['exp'] = Math.floor(Date.now() / 1000) - 120)],
    ['nbf in the future', (c) => (c['nbf'] = Math.floor(Date.now() / 1000) + 120)],
    ['iat in the future', (c) => (c['iat'] = Math.floor(Date.now() / 1000) + 120)],
    ['cache claim', (c) => ((c['response'] as Record<string, unknown>)['cache'] = 'public, max-age=600')],
    ['location claim', (c) => ((c['response'] as Record<string, unknown>)['location'] = 'https://evil.example/')],
    ['no kid', (_c, h) => delete h['kid']],
  ];
  for (const [name, mutate] of claimCases) {
    test(`${name}: JWTValidationFailure`, async () => {
      onAuths((a) => proxy.resign(a, mutate));
      await assert.rejects(call(), JWTValidationFailure);
    });
  }

  test('signature: a changed payload under the original signature', async () => {
    onAuths((a) => {
      const [h, p, s] = String(a.headers['x-iov-jwt']).split('.');
      const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<string, unknown>;
      (claims['response'] as Record<string, unknown>)['status'] = 200;
      a.headers['x-iov-jwt'] = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
      a.status = 200;
    });
    await assert.rejects(call(), JWTValidationFailure);
  });

  test('kid: an unknown key id is UnexpectedAPIResponse("Key was not found")', async () => {
    onAuths((a) => proxy.resign(a, (_c, h) => (h['kid'] = 'ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff')));
    await assert.rejects(
      call(),
      (err: unknown) => err instanceof UnexpectedAPIResponse && /Key was not found/.test(err.message),
    );
  });

  test('no X-IOV-JWT: UnexpectedAPIResponse', async () => {
    onAuths((a) => void delete a.headers['x-iov-jwt']);
    await assert.rejects(call(), UnexpectedAPIResponse);
  });
});

describe('status, headers and body', () => {
  test('status: the HTTP status changed under a valid JWT', async () => {
    onAuths((a) => void (a.status = 400));
    await assert.rejects(call(), JWTValidationFailure);
  });

  test('body: one character of the body changed', async () => {
    onAuths((a) => {
      const text = a.body.toString('utf8');
      a.body = Buffer.from(text.slice(0, 10) + (text[10] === 'A' ? 'B' : 'A') + text.slice(11));
    });
    await assert.rejects(call(), JWTValidationFailure);
  });

  test('body: emptied', async () => {
    onAuths((a) => void (a.body = Buffer.alloc(0)));
    await assert.rejects(call(), JWTValidationFailure);
  });

  test('Cache-Control header removed, or changed', async () => {
    onAuths((a) => void delete a.headers['cache-control']);
    await assert.rejects(call(), JWTValidationFailure);
    onAuths((a) => void (a.headers['cache-control'] = 'public, max-age=3600'));
    await assert.rejects(call(), JWTValidationFailure);
  });

  test('Location header added', async () => {
    onAuths((a) => void (a.headers['location'] = 'https://evil.example/'));
    await assert.rejects(call(), JWTValidationFailure);
  });

  test('a redirect (3xx) is refused and not followed', async () => {
    const before = bystanderHits;
    onAuths((a) => {
      a.status = 307;
      a.headers['location'] = `http://127.0.0.1:${(bystander.address() as AddressInfo).port}/service/v3/auths`;
    });
    await assert.rejects(
      call(),
      (err: unknown) => err instanceof UnexpectedAPIResponse && /redirect/.test(err.message),
    );
    assert.equal(bystanderHits, before, 'the redirect target was not contacted');
  });

  test('an oversized answer (2 MiB) is refused', async () => {
    onAuths((a) => void (a.body = Buffer.alloc(2 * 1024 * 1024, 0x41)));
    await assert.rejects(
      call(),
      (err: unknown) => err instanceof UnexpectedAPIResponse && /maxContentLength|exceeded/i.test(err.message),
    );
  });

  test('a gzip-encoded answer is refused', async () => {
    onAuths((a) => {
      a.body = gzipSync(a.body);
      a.headers['content-encoding'] = 'gzip';
    });
    await assert.rejects(
      call(),
      (err: unknown) => err instanceof UnexpectedAPIResponse && /Content-Encoding/.test(err.message),
    );
  });
});
