/**
 * Forged webhooks cannot make the app call the API once each (review HOLE 8): a `kid` that is not a key id is
 * refused before any API call, an unknown key id is fetched once and then remembered as unknown for 60 s, and
 * concurrent JWTs with one kid share one fetch. Requests are counted on the wire by a proxy in front of the
 * emulator.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import {
  JWTValidationFailure,
  ServiceFactory,
  UnexpectedAPIResponse,
  UnexpectedWebhookRequest,
  type ServiceClient,
} from '../../lib/sdk';
import {
  ApiKeyCache,
  DEFAULT_MAX_KEY_FETCHES_PER_WINDOW,
  isKeyId,
  publicKeyPathFor,
} from '../../lib/sdk/transport/api-key-cache';
import { HttpTransport } from '../../lib/sdk/transport/http-transport';
import { linkedUser, startTestEmulator, type Emulator } from './helpers/emulator';
import { rsaPair, type PemPair } from './helpers/keys';
import { signWebhookJwt } from './helpers/receiver';
import { startTamperProxy, type TamperProxy } from './helpers/tamper-proxy';

const HOOK_PATH = '/hooks/truvalidate';
/** Well-formed key ids that no key has. */
const UNKNOWN_KID = '00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff';
const OTHER_UNKNOWN_KIDS = [
  '01:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff',
  '02:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff',
];

let emu: Emulator;
let proxy: TamperProxy;
let forger: PemPair;

/** A fresh client (cold clock and key caches) that reaches the emulator through the counting proxy. */
function freshClient(): ServiceClient {
  return new ServiceFactory(emu.service.id, emu.service.privateKey, { url: proxy.url }).makeServiceClient();
}

/** The API calls that reached the emulator since `mark` (an index into `proxy.forwarded`). */
function callsSince(mark: number): string[] {
  return proxy.forwarded.slice(mark);
}

/** A session-end webhook whose JWT has header `kid` and is signed with `signPem`, otherwise well-formed. */
async function webhook(kid: string, signPem: string): Promise<{ body: string; headers: Record<string, string> }> {
  const body = JSON.stringify({ service_user_hash: 'x'.repeat(43), api_time: new Date().toISOString() });
  const jwt = await signWebhookJwt({ serviceId: emu.service.id, body, path: HOOK_PATH, kid, signPem });
  return { body, headers: { 'X-IOV-JWT': jwt } };
}

function refusedWith(cause: new (...args: never[]) => Error) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof UnexpectedWebhookRequest, `UnexpectedWebhookRequest, got ${String(err)}`);
    assert.ok(err.cause instanceof cause, `caused by ${cause.name}, got ${String(err.cause)}`);
    return true;
  };
}

before(async () => {
  forger = rsaPair();
  emu = await startTestEmulator();
  proxy = await startTamperProxy(emu.url, rsaPair().privateKey);
});
after(async () => {
  await proxy.close();
  await emu.close();
});

describe('forged webhooks and the by-kid key fetch', () => {
  test('a malformed kid is refused (JWTValidationFailure) before any API call, even with a cold client', async () => {
    const client = freshClient();
    const mark = proxy.forwarded.length;
    const malformed = [
      '../../../service/v3/auths',
      'ab:cd',
      '00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee',
      '00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:fg',
      '00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00',
      '00%3A11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff',
      `${UNKNOWN_KID}\n`,
      `${UNKNOWN_KID}/x`,
      '00112233445566778899aabbccddeeff',
    ];
    for (const kid of malformed) {
      const { body, headers } = await webhook(kid, forger.privateKey);
      await assert.rejects(
        client.handleAdvancedWebhook(body, headers, 'POST', HOOK_PATH),
        refusedWith(JWTValidationFailure),
        JSON.stringify(kid),
      );
    }
    assert.deepEqual(callsSince(mark), [], 'no request reached the API');
  });

  test('five forged webhooks with the same unknown well-formed kid make one API call', async () => {
    const client = freshClient();
    const mark = proxy.forwarded.length;
    const { body, headers } = await webhook(UNKNOWN_KID, forger.privateKey);
    const upper = await webhook(UNKNOWN_KID.toUpperCase(), forger.privateKey);
    // Two at once (one shared fetch), then three more (remembered as unknown), the last with the kid in upper case.
    await Promise.all([
      assert.rejects(
        client.handleAdvancedWebhook(body, headers, 'POST', HOOK_PATH),
        refusedWith(UnexpectedAPIResponse),
      ),
      assert.rejects(
        client.handleAdvancedWebhook(body, headers, 'POST', HOOK_PATH),
        refusedWith(UnexpectedAPIResponse),
      ),
    ]);
    await assert.rejects(
      client.handleAdvancedWebhook(body, headers, 'POST', HOOK_PATH),
      refusedWith(UnexpectedAPIResponse),
    );
    await assert.rejects(
      client.handleAdvancedWebhook(body, headers, 'POST', HOOK_PATH),
      refusedWith(UnexpectedAPIResponse),
    );
    await assert.rejects(
      client.handleAdvancedWebhook(upper.body, upper.headers, 'POST', HOOK_PATH),
      refusedWith(UnexpectedAPIResponse),
    );
    const keyCalls = callsSince(mark).filter((c) => c.startsWith('GET /public/v3/public-key'));
    assert.deepEqual(keyCalls, [`GET /public/v3/public-key/${UNKNOWN_KID}`], 'one fetch, with the colons raw');
  });

  test('a genuine webhook (API key, kid in either case) is still accepted, its key fetched once', async () => {
    const signer = (
      emu.state.data as unknown as { apiKeys: Array<{ privateKey: string; id: string; use: string; retired: boolean }> }
    ).apiKeys.find((k) => k.use !== 'enc' && !k.retired);
    assert.ok(signer);
    const client = freshClient();
    const mark = proxy.forwarded.length;
    for (const kid of [signer.id.toUpperCase(), signer.id]) {
      const { body, headers } = await webhook(kid, signer.privateKey);
      const res = await client.handleAdvancedWebhook(body, headers, 'POST', HOOK_PATH);
      assert.equal(res?.kind, 'session-end');
    }
    const keyCalls = callsSince(mark).filter((c) => c.startsWith('GET /public/v3/public-key'));
    assert.deepEqual(keyCalls, [`GET /public/v3/public-key/${signer.id}`]);
  });
});

/** A random well-formed key id (16 hex pairs joined by ':'). */
function randomKid(): string {
  return [...randomBytes(16)].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** The emulator's current API signing key (the one its answers and webhooks are signed with). */
function apiSigner(): { privateKey: string; id: string } {
  type ApiKey = { privateKey: string; id: string; use: string; retired: boolean };
  const keys = (emu.state.data as unknown as { apiKeys: ApiKey[] }).apiKeys;
  const signer = keys.find((k) => k.use !== 'enc' && !k.retired);
  assert.ok(signer);
  return signer;
}

describe('a flood of forged webhooks with random kids', () => {
  test('300 forged webhooks: all refused, the budget (5) of key fetches, genuine webhooks still pass', async () => {
    assert.equal(DEFAULT_MAX_KEY_FETCHES_PER_WINDOW, 5);
    const client = freshClient();
    // The app's own API call first (as before any authorization response webhook): the signing key gets cached.
    const user = await linkedUser(emu);
    await client.authorizationRequest(user);
    const signer = apiSigner();
    const genuine = async (): Promise<void> => {
      const { body, headers } = await webhook(signer.id, signer.privateKey);
      const res = await client.handleAdvancedWebhook(body, headers, 'POST', HOOK_PATH);
      assert.equal(res?.kind, 'session-end');
    };
    await genuine();
    const forged = await Promise.all(Array.from({ length: 300 }, () => webhook(randomKid(), forger.privateKey)));
    const mark = proxy.forwarded.length;
    const causes = new Map<string, number>();
    const refused = (err: unknown): boolean => {
      assert.ok(err instanceof UnexpectedWebhookRequest, `UnexpectedWebhookRequest, got ${String(err)}`);
      const cause = err.cause instanceof Error ? err.cause.constructor.name : String(err.cause);
      causes.set(cause, (causes.get(cause) ?? 0) + 1);
      return true;
    };
    // In batches of 50 at once, with a genuine webhook in the middle of the flood.
    for (let i = 0; i < forged.length; i += 50) {
      const batch = forged
        .slice(i, i + 50)
        .map((f) => assert.rejects(client.handleAdvancedWebhook(f.body, f.headers, 'POST', HOOK_PATH), refused));
      await Promise.all(i === 150 ? [...batch, genuine()] : batch);
    }
    await genuine();
    const calls = callsSince(mark);
    const keyFetches = calls.filter((c) => c.startsWith('GET /public/v3/public-key/'));
    assert.equal(keyFetches.length, 5, `key fetches: ${keyFetches.length}`);
    assert.deepEqual(calls, keyFetches, 'nothing else reached the API');
    assert.deepEqual(Object.fromEntries(causes), { UnexpectedAPIResponse: 5, JWTValidationFailure: 295 });
  });

  test('the budget is shared by all kids, refills after the window, and API answers do not spend it', async () => {
    let now = 5_000_000;
    const http = new HttpTransport({ timeoutMs: 5000, maxResponseBytes: 1 << 20 });
    http.setUrl(proxy.url, false);
    const cache = new ApiKeyCache(http, { maxFetchesPerWindow: 2, fetchWindowSeconds: 60, now: () => now });
    const mark = proxy.forwarded.length;
    await assert.rejects(cache.keyById(randomKid()), UnexpectedAPIResponse);
    now += 30_000;
    await assert.rejects(cache.keyById(randomKid()), UnexpectedAPIResponse);
    await assert.rejects(
      cache.keyById(randomKid()),
      (err: unknown) => err instanceof JWTValidationFailure && /budget of 2 key fetches per 60 s/.test(err.message),
    );
    assert.equal(callsSince(mark).length, 2);
    // A kid from the API's own answer (trusted) is still fetched, and does not count.
    await assert.rejects(cache.keyById(randomKid(), { trusted: true }), UnexpectedAPIResponse);
    assert.equal(callsSince(mark).length, 3);
    now += 30_001; // the first fetch left the window
    await assert.rejects(cache.keyById(randomKid()), UnexpectedAPIResponse);
    await assert.rejects(cache.keyById(randomKid()), JWTValidationFailure);
    assert.equal(callsSince(mark).length, 4);
  });
});

describe('ApiKeyCache misses', () => {
  test('an unknown kid is asked for again only after missTtlSeconds', async () => {
    let now = 1_000_000;
    const http = new HttpTransport({ timeoutMs: 5000, maxResponseBytes: 1 << 20 });
    http.setUrl(proxy.url, false);
    const cache = new ApiKeyCache(http, { missTtlSeconds: 60, now: () => now });
    const mark = proxy.forwarded.length;
    const fetches = (): number => callsSince(mark).length;
    await assert.rejects(
      cache.keyById(UNKNOWN_KID),
      (err: unknown) => err instanceof UnexpectedAPIResponse && err.statusCode === 404,
    );
    assert.equal(fetches(), 1);
    now += 59_000;
    await assert.rejects(cache.keyById(UNKNOWN_KID), UnexpectedAPIResponse);
    assert.equal(fetches(), 1, 'still remembered as unknown');
    now += 2_000;
    await assert.rejects(cache.keyById(UNKNOWN_KID), UnexpectedAPIResponse);
    assert.equal(fetches(), 2, 'asked again after the miss TTL');
  });

  test('at most maxMisses unknown kids are remembered; the oldest is forgotten first', async () => {
    const http = new HttpTransport({ timeoutMs: 5000, maxResponseBytes: 1 << 20 });
    http.setUrl(proxy.url, false);
    const cache = new ApiKeyCache(http, { maxMisses: 2 });
    const mark = proxy.forwarded.length;
    for (const kid of [UNKNOWN_KID, ...OTHER_UNKNOWN_KIDS])
      await assert.rejects(cache.keyById(kid), UnexpectedAPIResponse);
    await assert.rejects(cache.keyById(OTHER_UNKNOWN_KIDS[1] as string), UnexpectedAPIResponse);
    assert.equal(callsSince(mark).length, 3, 'the newest miss is still remembered');
    await assert.rejects(cache.keyById(UNKNOWN_KID), UnexpectedAPIResponse);
    assert.equal(callsSince(mark).length, 4, 'the oldest miss was forgotten');
  });

  test('a passing failure (5xx) is not remembered: the next JWT asks again', async () => {
    let hits = 0;
    const server: Server = createServer((_req, res) => {
      hits++;
      res.writeHead(503).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const http = new HttpTransport({ timeoutMs: 5000, maxResponseBytes: 1 << 20 });
      http.setUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, false);
      const cache = new ApiKeyCache(http);
      await assert.rejects(cache.keyById(UNKNOWN_KID), UnexpectedAPIResponse);
      await assert.rejects(cache.keyById(UNKNOWN_KID), UnexpectedAPIResponse);
      assert.equal(hits, 2);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  test('key ids: 16 hex pairs joined by ":" in either case; the path keeps ":" raw', () => {
    assert.equal(isKeyId(UNKNOWN_KID), true);
    assert.equal(isKeyId(UNKNOWN_KID.toUpperCase()), true);
    assert.equal(isKeyId(`${UNKNOWN_KID} `), false);
    assert.equal(isKeyId(42), false);
    assert.equal(publicKeyPathFor(UNKNOWN_KID), `/public/v3/public-key/${UNKNOWN_KID}`);
    assert.equal(publicKeyPathFor('a/b?c#d:e'), '/public/v3/public-key/a%2Fb%3Fc%23d:e');
  });
});
