/**
 * Adversarial review of the strategy's security properties (README.md "Security properties"): each
 * test is an attack against a real app (Express + express-session + Passport) talking to the emulator over
 * loopback, through a small HTTP proxy that counts the API calls and can take the API down, tamper with its
 * answers or replay them. Webhooks are captured by a sink (never delivered to the app by the emulator) and then
 * delivered by the test, as an attacker on the path would.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import express, { type Request, type Response } from 'express';
import session from 'express-session';
import request from 'supertest';
import {
  MemoryStore,
  TruValidateStrategyError,
  caselessUsername,
  type LoginResult,
  type PendingLogin,
} from 'passport-truvalidate';
import type { Emulator } from 'passport-truvalidate/emulator';
import { DirectoryFactory } from 'passport-truvalidate/sdk';
import { signJwt } from '../../lib/sdk/transport/jose-primitives';
import { parseRsaPrivateKey } from '../../lib/sdk/transport/keys';
import { buildTestApp, listenTestApp, type TestApp, type TestAppOptions, type TestUser } from './helpers/app';
import { sessionCookie } from './helpers/cookies';
import { emulatorWithUsers, type Phone } from './helpers/emulator';
import { startPush, statusNow } from './helpers/flows';
import { eventually } from '../fixtures/eventually';

const WEBHOOK_PATH = '/webhooks/truvalidate';

// ---------------------------------------------------------------------------------------------------------------
// The API proxy: counts calls, can refuse them (API down), tamper with or replay answers.

interface CapturedAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

class ApiProxy {
  /** `METHOD path` of every call that reached the proxy, oldest first. */
  readonly calls: string[] = [];
  /** 'pass': forward; 'down': reset the connection; 'tamper': flip a byte of every 200 auths answer body. */
  mode: 'pass' | 'down' | 'tamper' = 'pass';
  /** When set, a GET of `to` is answered with the captured answer of `from` (a replayed API answer). */
  replay: { from: string; to: string } | null = null;
  private readonly captured = new Map<string, CapturedAnswer>();
  private server: http.Server | null = null;
  url = '';

  constructor(private readonly target: string) {}

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  count(prefix: string): number {
    return this.calls.filter((c) => c.startsWith(prefix)).length;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0] as string;
    const key = `${req.method ?? 'GET'} ${path}`;
    this.calls.push(key);
    if (this.mode === 'down') {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (this.replay && key === `GET ${this.replay.to}`) {
        const old = this.captured.get(`GET ${this.replay.from}`);
        if (old) {
          res.writeHead(old.status, old.headers).end(old.body);
          return;
        }
      }
      const forward = http.request(
        `${this.target}${req.url ?? '/'}`,
        { method: req.method, headers: req.headers },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (c: Buffer) => body.push(c));
          answer.on('end', () => {
            let bytes = Buffer.concat(body);
            const status = answer.statusCode ?? 502;
            if (status === 200 && key.startsWith('GET /service/v3/auths/')) {
              this.captured.set(key, { status, headers: answer.headers, body: bytes });
              if (this.mode === 'tamper' && bytes.length > 10) {
                bytes = Buffer.from(bytes);
                const i = bytes.length - 5;
                bytes[i] = (bytes[i] as number) === 0x41 ? 0x42 : 0x41;
              }
            }
            res.writeHead(status, answer.headers).end(bytes);
          });
        },
      );
      forward.on('error', () => res.writeHead(502).end());
      forward.end(Buffer.concat(chunks));
    });
  }

  close(): Promise<void> {
    return new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The webhook sink: the service callback URL during most tests. It keeps each webhook and answers 204, so that
// the app only gets what a test delivers.

interface CapturedWebhook {
  headers: Record<string, string>;
  body: Buffer;
}

class WebhookSink {
  readonly received: CapturedWebhook[] = [];
  private server: http.Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers: Record<string, string> = {};
        for (const name of ['content-type', 'x-iov-jwt']) {
          const v = req.headers[name];
          if (typeof v === 'string') headers[name] = v;
        }
        this.received.push({ headers, body: Buffer.concat(chunks) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${WEBHOOK_PATH}`;
  }

  last(): CapturedWebhook {
    const w = this.received[this.received.length - 1];
    assert.ok(w, 'a webhook was captured');
    return w;
  }

  close(): Promise<void> {
    return new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// A store whose chosen operations fail (a store that is down), delegating to a real MemoryStore otherwise.

type StoreOp = 'getPending' | 'consumePending' | 'getResult' | 'loggedOutAt' | 'claimPoll' | 'markLoggedOut';

class BrokenStore extends MemoryStore {
  readonly down = new Set<StoreOp>();

  private check(op: StoreOp): void {
    if (this.down.has(op)) throw new Error(`store down (${op})`);
  }

  override async getPending(id: string): Promise<PendingLogin | null> {
    this.check('getPending');
    return super.getPending(id);
  }

  override async consumePending(id: string): Promise<PendingLogin | null> {
    this.check('consumePending');
    return super.consumePending(id);
  }

  override async getResult(id: string): Promise<LoginResult | null> {
    this.check('getResult');
    return super.getResult(id);
  }

  override async loggedOutAt(hash: string): Promise<number | null> {
    this.check('loggedOutAt');
    return super.loggedOutAt(hash);
  }

  override async claimPoll(id: string, intervalMs: number, now: number): Promise<boolean> {
    this.check('claimPoll');
    return super.claimPoll(id, intervalMs, now);
  }

  override async markLoggedOut(hash: string, at: number, ttlMs: number): Promise<void> {
    this.check('markLoggedOut');
    return super.markLoggedOut(hash, at, ttlMs);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Apps: the shared test app (helpers/app.ts) plus a catch-all that stores `returnTo`, as connect-ensure-login does.

interface ReviewApp extends TestApp {
  verifyCalls: number;
}

async function startReviewApp(options: Omit<TestAppOptions, 'verify'>): Promise<ReviewApp> {
  const holder = { verifyCalls: 0 };
  const built = buildTestApp({
    ...options,
    verify: async (username, profile) => {
      holder.verifyCalls += 1;
      return { username, method: profile.method, serviceUserHash: profile.serviceUserHash } satisfies TestUser;
    },
  });
  const { app } = built;
  // After the shared routes (which include `/login/pending` and `/login/cancel`): like connect-ensure-login on
  // every other path, remember where the user wanted to go and ask to log in.
  app.use((req: Request, res: Response) => {
    (req.session as unknown as Record<string, unknown>)['returnTo'] = req.originalUrl;
    res.status(401).json({ error: 'log in first' });
  });
  const listening = await listenTestApp(built, options);
  const result: ReviewApp = {
    ...listening,
    get verifyCalls() {
      return holder.verifyCalls;
    },
  };
  return result;
}

/** Delivers a captured webhook to `origin` at `path` (default: the signed path), with extra headers. */
function deliver(
  origin: string,
  webhook: CapturedWebhook,
  options: { path?: string; method?: string; body?: Buffer; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = options.body ?? webhook.body;
    const req = http.request(
      `${origin}${options.path ?? WEBHOOK_PATH}`,
      {
        method: options.method ?? 'POST',
        headers: { ...webhook.headers, 'content-length': String(body.length), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function jwtClaims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

const USERS = [
  'amy',
  'ben',
  'cat',
  'dan',
  'eve',
  'fay',
  'gus',
  'hal',
  'ida',
  'jon',
  'kay',
  'lee',
  'max',
  'ned',
  'oli',
  'pam',
  'Quinn',
  'ray',
  'sue',
  'tom',
  'uma',
  'vic',
  'wes',
  'xia',
  'yan',
  'zoe',
  'ann',
  'abe',
];

describe('security review of the strategy', () => {
  let emulator: Emulator;
  let phone: Phone;
  let proxy: ApiProxy;
  let sink: WebhookSink;
  let app: ReviewApp;
  let store: BrokenStore;
  const apps: ReviewApp[] = [];

  async function extraApp(options: Partial<Omit<TestAppOptions, 'verify'>> = {}): Promise<ReviewApp> {
    const a = await startReviewApp({ apiUrl: proxy.url, service: emulator.service, ...options });
    apps.push(a);
    return a;
  }

  /** The device's sessions of `user` once it lists one (sessionStart runs in the background after a login). */
  const sessionListed = (user: string): ReturnType<Phone['sessionsOf']> =>
    eventually(
      () => phone.sessionsOf(user),
      (list) => list.length > 0,
    );

  before(async () => {
    ({ emulator, phone } = await emulatorWithUsers(USERS));
    proxy = new ApiProxy(emulator.url);
    await proxy.start();
    sink = new WebhookSink();
    await sink.start();
    emulator.setServiceCallbackUrl(emulator.service.id, sink.url);
    store = new BrokenStore();
    app = await startReviewApp({
      apiUrl: proxy.url,
      service: emulator.service,
      store,
      strategyOptions: { pollIntervalMs: 50 },
    });
    const directory = new DirectoryFactory(emulator.directory.id, emulator.directory.privateKey, {
      url: emulator.url,
    }).makeDirectoryClient();
    await directory.generateUserTotp('tom');
  });

  after(async () => {
    for (const a of apps) await a.close();
    await app.close();
    await store.close();
    await sink.close();
    await proxy.close();
    await emulator.close();
  });

  // ------------------------------------------------------------------------------------------- session binding

  test("binding: session B can neither see, cancel, take over nor complete session A's login", async () => {
    const a = request.agent(app.url);
    const b = request.agent(app.url);
    await startPush(a, 'amy');
    const pushes = proxy.count('POST /service/v3/auths');
    assert.deepEqual((await b.get('/login/pending')).body, { pending: null });
    assert.deepEqual((await b.post('/login/cancel')).body, { canceled: false });
    assert.equal((await statusNow(b)).code, 404);
    const takeOver = await b.post('/login').set('Accept', 'application/json').send({ username: 'amy' });
    assert.equal(takeOver.status, 409);
    assert.equal(proxy.count('POST /service/v3/auths'), pushes + 1, 'one API call, answered busy');
    assert.equal((await phone.auths('amy')).length, 1, 'no second push');

    const own = (await a.get('/login/pending')).body.pending as { authRequestId: string; username: string };
    assert.equal(own.username, 'amy');
    const record = await app.store.getPending(own.authRequestId);
    assert.match(String(record?.bindingHash), /^[0-9a-f]{64}$/);
    assert.equal(JSON.stringify(record).includes('"binding"'), false, 'the store keeps only the hash');

    await phone.respond(own.authRequestId, 'approve');
    assert.equal((await statusNow(b)).code, 404);
    assert.equal((await b.post('/login').set('Accept', 'application/json').send({})).status, 400);
    assert.equal((await b.get('/me')).status, 401);
    assert.equal((await statusNow(a)).body['status'], 'authorized');
    assert.equal((await a.get('/me')).body.user.username, 'amy');
  });

  test('binding: a pending login does not survive req.logout() (approval afterwards logs nobody in)', async () => {
    const browser = request.agent(app.url);
    await startPush(browser, 'ben');
    await phone.answer('ben', 'approve');
    assert.equal((await statusNow(browser)).body['status'], 'authorized');
    await startPush(browser, 'cat');
    assert.equal((await browser.post('/logout')).status, 204);
    await phone.answer('cat', 'approve');
    const after = await statusNow(browser);
    assert.equal(after.code, 404, JSON.stringify(after.body));
    assert.equal((await browser.post('/login').set('Accept', 'application/json').send({})).status, 400);
    assert.equal((await browser.get('/me')).status, 401);
  });

  test('binding: a username in the query string, an array or an object never starts a push', async () => {
    const pushes = proxy.count('POST /service/v3/auths');
    const viaQuery = await request(app.url).post('/login?username=dan').set('Accept', 'application/json').send({});
    assert.equal(viaQuery.status, 400);
    const viaArray = await request(app.url)
      .post('/login')
      .set('Accept', 'application/json')
      .send({ username: ['dan'] });
    assert.equal(viaArray.status, 400);
    const viaObject = await request(app.url)
      .post('/login')
      .set('Accept', 'application/json')
      .send({ username: { toString: 'dan' } });
    assert.equal(viaObject.status, 400);
    assert.equal(proxy.count('POST /service/v3/auths'), pushes);
    assert.deepEqual(await phone.auths('dan'), []);
  });

  // ------------------------------------------------------------------------------------------- once only

  test(
    'once only: a waiting status poll, authenticate checks and the webhook ' + 'at the same moment give one login',
    async () => {
      emulator.setServiceCallbackUrl(emulator.service.id, `${app.url}${WEBHOOK_PATH}`);
      try {
        const browser = request.agent(app.url);
        await startPush(browser, 'dan');
        const verifies = app.verifyCalls;
        const starts = proxy.count('POST /service/v3/sessions');
        const waiting = browser.get('/login/status').then((r) => r);
        await new Promise((r) => setTimeout(r, 50));
        const auth = await phone.onlyAuth('dan');
        const [, ...checks] = await Promise.all([
          phone.respond(auth.authRequestId, 'approve'),
          browser.post('/login').set('Accept', 'application/json').send({}),
          browser.post('/login').set('Accept', 'application/json').send({}),
          browser.get('/login/status?wait=0'),
        ]);
        const answers = [await waiting, ...checks];
        for (const r of answers)
          assert.ok(r.status === 200 || r.status === 202, `${r.status} ${JSON.stringify(r.body)}`);
        assert.equal(app.verifyCalls - verifies, 1, 'verify ran once');
        assert.equal((await sessionListed('dan')).length, 1);
        assert.equal(proxy.count('POST /service/v3/sessions') - starts, 1, 'sessionStart ran once');
        assert.equal((await browser.get('/me')).body.user.username, 'dan');
      } finally {
        emulator.setServiceCallbackUrl(emulator.service.id, sink.url);
      }
    },
  );

  test('once only: two instances sharing the stores: the webhook at one wakes the other, one login', async () => {
    const shared = new MemoryStore();
    const sessions = new session.MemoryStore();
    const one = await extraApp({ store: shared, sessionStore: sessions });
    const two = await extraApp({ store: shared, sessionStore: sessions });
    try {
      emulator.setServiceCallbackUrl(emulator.service.id, `${one.url}${WEBHOOK_PATH}`);
      const started = await request(one.url).post('/login').set('Accept', 'application/json').send({ username: 'eve' });
      assert.equal(started.status, 202);
      const cookie = `test.sid=${sessionCookie(started) ?? ''}`;
      const polls = [
        request(two.url)
          .get('/login/status')
          .set('Cookie', cookie)
          .then((r) => r),
        request(one.url)
          .get('/login/status')
          .set('Cookie', cookie)
          .then((r) => r),
      ];
      await new Promise((r) => setTimeout(r, 100));
      const starts = proxy.count('POST /service/v3/sessions');
      await phone.answer('eve', 'approve');
      const answers = await Promise.all(polls);
      assert.deepEqual(
        answers.map((r) => r.body.status),
        ['authorized', 'authorized'],
      );
      assert.equal(one.verifyCalls + two.verifyCalls, 1, 'verify ran once across instances');
      await sessionListed('eve');
      assert.equal(proxy.count('POST /service/v3/sessions') - starts, 1, 'sessionStart ran once');
      const winner = answers.map((r) => sessionCookie(r)).filter((c): c is string => c !== null);
      assert.equal(winner.length, 1, 'one new session id');
      assert.equal(
        (await request(two.url).get('/me').set('Cookie', `test.sid=${winner[0]}`)).body.user.username,
        'eve',
      );
    } finally {
      emulator.setServiceCallbackUrl(emulator.service.id, sink.url);
      await shared.close();
    }
  });

  test('once only: many concurrent browser polls of one login make at most one API poll per interval', async () => {
    const slow = await extraApp({ strategyOptions: { pollIntervalMs: 60_000 } });
    const browser = request.agent(slow.url);
    await startPush(browser, 'fay');
    const own = (await browser.get('/login/pending')).body.pending as { authRequestId: string };
    const path = `GET /service/v3/auths/${own.authRequestId}`;
    const before = proxy.count(path);
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => browser.get('/login/status?wait=0').then((r) => r.body.status as string)),
    );
    assert.deepEqual(new Set(answers), new Set(['pending']));
    assert.equal(proxy.count(path) - before, 1, 'one API poll for twelve browser polls');
    assert.equal((await browser.post('/login/cancel')).body.canceled, true);
  });

  // ------------------------------------------------------------------------------------------- fail closed

  test(
    'fail closed: the API down mid-login gives 502 and no login; once it is ' + 'back the approval completes',
    async () => {
      const browser = request.agent(app.url);
      await startPush(browser, 'gus');
      await phone.answer('gus', 'approve');
      proxy.mode = 'down';
      try {
        const status = await browser.get('/login/status?wait=0');
        assert.equal(status.status, 502, JSON.stringify(status.body));
        assert.equal(status.body.code, 'ERR_TRUVALIDATE_API_UNAVAILABLE');
        await new Promise((r) => setTimeout(r, 60));
        const check = await browser.post('/login').set('Accept', 'application/json').send({});
        assert.equal(check.status, 502);
        assert.equal((await browser.get('/me')).status, 401);
      } finally {
        proxy.mode = 'pass';
      }
      await new Promise((r) => setTimeout(r, 60));
      assert.equal((await statusNow(browser)).body['status'], 'authorized');
      assert.equal((await browser.get('/me')).body.user.username, 'gus');
    },
  );

  test(
    'fail closed: a tampered API answer, or the answer of another approved ' + 'request replayed, never logs in',
    async () => {
      const first = request.agent(app.url);
      await startPush(first, 'hal');
      const firstId = await phone.answer('hal', 'approve');
      assert.equal((await statusNow(first)).body['status'], 'authorized');

      const second = request.agent(app.url);
      await startPush(second, 'hal');
      const secondId = (await phone.onlyAuth('hal')).authRequestId;
      await phone.respond(secondId, 'deny');

      proxy.replay = { from: `/service/v3/auths/${firstId}`, to: `/service/v3/auths/${secondId}` };
      try {
        const replayed = await second.get('/login/status?wait=0');
        assert.equal(replayed.status, 502, JSON.stringify(replayed.body));
        assert.equal((await second.get('/me')).status, 401);
      } finally {
        proxy.replay = null;
      }

      const third = request.agent(app.url);
      await startPush(third, 'ida');
      await phone.answer('ida', 'approve');
      proxy.mode = 'tamper';
      try {
        await new Promise((r) => setTimeout(r, 60));
        const tampered = await third.get('/login/status?wait=0');
        assert.equal(tampered.status, 502, JSON.stringify(tampered.body));
        assert.equal((await third.get('/me')).status, 401);
      } finally {
        proxy.mode = 'pass';
      }
      await new Promise((r) => setTimeout(r, 60));
      assert.equal((await statusNow(second)).body['status'], 'denied', 'the real answer stands');
    },
  );

  test(
    'fail closed: the store down gives 503 and no login; a logged-in ' + 'session is not served while it is down',
    async () => {
      const browser = request.agent(app.url);
      await startPush(browser, 'jon');
      await phone.answer('jon', 'approve');
      for (const op of ['getPending', 'getResult', 'claimPoll', 'consumePending'] as const) {
        store.down.add(op);
        try {
          const status = await browser.get('/login/status?wait=0');
          assert.equal(status.status, 503, `${op}: ${JSON.stringify(status.body)}`);
          assert.equal(status.body.code, 'ERR_TRUVALIDATE_STORE_UNAVAILABLE');
          assert.equal((await browser.post('/login').set('Accept', 'application/json').send({})).status, 503);
          assert.equal((await browser.get('/me')).status, 401);
        } finally {
          store.down.delete(op);
        }
        await new Promise((r) => setTimeout(r, 60));
      }
      assert.equal((await statusNow(browser)).body['status'], 'authorized');
      store.down.add('loggedOutAt');
      try {
        const me = await browser.get('/me');
        assert.equal(me.status, 503, 'the session guard fails closed');
        assert.equal(me.body.code, 'ERR_TRUVALIDATE_STORE_UNAVAILABLE');
      } finally {
        store.down.delete('loggedOutAt');
      }
      assert.equal((await browser.get('/me')).status, 200);
    },
  );

  // ------------------------------------------------------------------------------------------- webhooks

  test(
    'webhooks: gzip, wrong paths, wrong method, oversized chunked bodies ' + 'are refused and store nothing',
    async () => {
      const browser = request.agent(app.url);
      await startPush(browser, 'kay');
      const from = sink.received.length;
      const id = await phone.answer('kay', 'approve');
      assert.equal(sink.received.length, from + 1);
      const webhook = sink.last();

      const gzipped = await deliver(app.url, webhook, {
        body: gzipSync(webhook.body),
        headers: { 'content-encoding': 'gzip' },
      });
      assert.equal(gzipped.status, 415);
      const gzipUpper = await deliver(app.url, webhook, { headers: { 'content-encoding': 'GZIP' } });
      assert.equal(gzipUpper.status, 415, 'a gzip header on a plain body is refused too');
      // Exact statuses (they were 'any 4xx'), as the SDK's verification answers each path that was not the signed one.
      const expected: [string, number][] = [
        [`${WEBHOOK_PATH}/`, 400],
        [WEBHOOK_PATH.toUpperCase(), 400],
        [`${WEBHOOK_PATH}%2F`, 401],
      ];
      for (const [path, status] of expected) {
        const wrong = await deliver(app.url, webhook, { path });
        assert.equal(wrong.status, status, path);
      }
      const wrongMethod = await deliver(app.url, webhook, { method: 'PUT' });
      assert.equal(wrongMethod.status, 405);
      const chunked = await new Promise<number>((resolve, reject) => {
        const req = http.request(
          `${app.url}${WEBHOOK_PATH}`,
          { method: 'POST', headers: { ...webhook.headers, 'transfer-encoding': 'chunked' } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        for (let i = 0; i < 20; i++) req.write(Buffer.alloc(8192, 0x41));
        req.end();
      });
      assert.equal(chunked, 413);
      assert.equal(await app.store.getResult(id), null, 'nothing was stored');

      const accepted = await deliver(app.url, webhook, { path: `${WEBHOOK_PATH}?username=mallory&path=/other` });
      assert.equal(accepted.status, 204, 'a query string is not part of the signed path');
      assert.equal((await app.store.getResult(id))?.status, 'authorized');
      assert.equal((await statusNow(browser)).body['status'], 'authorized');
      const verifies = app.verifyCalls;
      assert.equal((await deliver(app.url, webhook)).status, 204, 'the replay is acknowledged');
      assert.equal(await app.store.getResult(id).then((r) => r?.status), 'authorized');
      assert.equal((await statusNow(browser)).code, 200);
      assert.equal(app.verifyCalls, verifies, 'the replay completed nothing');
    },
  );

  test(
    'webhooks: a body already parsed by an earlier JSON parser is refused ' + '(500), no logout marker written',
    async () => {
      const browser = request.agent(app.url);
      await startPush(browser, 'lee');
      await phone.answer('lee', 'approve');
      assert.equal((await statusNow(browser)).body['status'], 'authorized');
      const hash = (await browser.get('/me')).body.user.serviceUserHash as string;
      const from = sink.received.length;
      await phone.logout('lee');
      assert.equal(sink.received.length, from + 1);
      const sessionEnd = sink.last();
      assert.match(sessionEnd.headers['content-type'] ?? '', /json/);

      const parsedFirst = express();
      parsedFirst.use(express.json());
      parsedFirst.post(WEBHOOK_PATH, app.strategy.webhook());
      const server = http.createServer(parsedFirst);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const answer = await deliver(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, sessionEnd);
        assert.equal(answer.status, 500);
        assert.match(answer.body, /before body parsers/);
      } finally {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      }
      assert.equal(await app.store.loggedOutAt(hash), null);
      assert.equal((await browser.get('/me')).status, 200);
      assert.equal((await deliver(app.url, sessionEnd)).status, 204);
      assert.equal((await browser.get('/me')).status, 401, 'the same webhook, raw, logs the user out');
    },
  );

  test(
    'webhooks: a JWT from the wrong signer or a tampered body changes ' +
      'nothing, and does not block the genuine copy',
    async () => {
      const browser = request.agent(app.url);
      await startPush(browser, 'max');
      const from = sink.received.length;
      const id = await phone.answer('max', 'approve');
      assert.equal(sink.received.length, from + 1);
      const genuine = sink.last();
      const claims = jwtClaims(genuine.headers['x-iov-jwt'] ?? '');
      const tamperedBody = Buffer.from(genuine.body);
      tamperedBody[20] = (tamperedBody[20] as number) === 0x41 ? 0x42 : 0x41;
      assert.equal((await deliver(app.url, genuine, { body: tamperedBody })).status, 400);

      const forgedJwt = await signJwt(
        { ...claims, jti: 'forged-jti' },
        parseRsaPrivateKey(emulator.service.privateKey),
        'RS256',
        emulator.state.apiSigningKey().id,
        'JWT',
      );
      const forged = await deliver(app.url, genuine, { headers: { 'x-iov-jwt': forgedJwt } });
      assert.equal(forged.status, 400);
      assert.equal(await app.store.getResult(id), null);
      // The genuine one still works afterwards: the forged copy did not poison the replay cache.
      assert.equal((await deliver(app.url, genuine)).status, 204);
      assert.equal((await app.store.getResult(id))?.status, 'authorized');
      assert.equal((await statusNow(browser)).body['status'], 'authorized');
    },
  );

  // ------------------------------------------------------------------------------------------- push bombing

  test(
    'push limit: whitespace variants of a username share one counter (case ' + 'variants with caselessUsername)',
    async () => {
      const limited = await extraApp({
        strategyOptions: { pushLimit: { max: 2, windowMs: 60_000 }, normalizeUsername: caselessUsername },
      });
      for (const variant of ['quinn', ' QUINN ']) {
        const browser = request.agent(limited.url);
        const res = await browser.post('/login').set('Accept', 'application/json').send({ username: variant });
        assert.deepEqual([res.status, res.body], [202, { status: 'pending' }]);
        assert.equal(
          (await browser.post('/login/cancel')).body.canceled,
          true,
          'one user: the next start would be busy',
        );
      }
      assert.deepEqual(await phone.auths('Quinn'), []);
      const third = request.agent(limited.url);
      const res = await third.post('/login').set('Accept', 'application/json').send({ username: 'Quinn' });
      assert.deepEqual([res.status, res.body.reason], [429, 'rate_limited']);
      assert.deepEqual(await phone.auths('Quinn'), [], 'the real spelling is over the limit too: no push');
      const trimOnly = await extraApp({ strategyOptions: { pushLimit: { max: 1, windowMs: 60_000 } } });
      const first = request.agent(trimOnly.url);
      await startPush(first, 'quinn-t');
      assert.equal((await first.post('/login/cancel')).body.canceled, true);
      const spaced = await request
        .agent(trimOnly.url)
        .post('/login')
        .set('Accept', 'application/json')
        .send({ username: '  quinn-t ' });
      assert.deepEqual([spaced.status, spaced.body.reason], [429, 'rate_limited']);
      assert.equal(
        await trimOnly.store.increment('push:quinn-t', 60_000),
        3,
        'the default (trim) gives both one counter',
      );
    },
  );

  test(
    'enumeration: known and unknown usernames get the same start answer, ' +
      'and the same 429 over the limit, headers included',
    async () => {
      const limited = await extraApp({ strategyOptions: { pushLimit: { max: 1, windowMs: 60_000 } } });
      const shape = (r: request.Response): unknown => ({
        status: r.status,
        body: r.body as unknown,
        type: r.headers['content-type'],
        cache: r.headers['cache-control'],
        cookie: sessionCookie(r) !== null,
        location: r.headers['location'] ?? null,
        retryAfter: r.headers['retry-after'] ?? null,
      });
      const known = shape(
        await request.agent(limited.url).post('/login').set('Accept', 'application/json').send({ username: 'ned' }),
      );
      const limitedKnown = shape(
        await request.agent(limited.url).post('/login').set('Accept', 'application/json').send({ username: 'ned' }),
      );
      const unknown = shape(
        await request
          .agent(limited.url)
          .post('/login')
          .set('Accept', 'application/json')
          .send({ username: 'no-such-user' }),
      );
      const limitedUnknown = shape(
        await request
          .agent(limited.url)
          .post('/login')
          .set('Accept', 'application/json')
          .send({ username: 'no-such-user' }),
      );
      assert.deepEqual(unknown, known);
      // Changed: over the push limit answers 429 + Retry-After (was a 202 decoy), alike for both.
      assert.deepEqual(limitedUnknown, limitedKnown);
      assert.deepEqual((limitedKnown as { status: number; retryAfter: string }).status, 429);
      assert.deepEqual((limitedKnown as { status: number; retryAfter: string }).retryAfter, '60');
      const form = async (username: string): Promise<unknown> =>
        shape(await request.agent(limited.url).post('/login-redirect').type('form').send({ username }));
      assert.deepEqual(await form('oli'), await form('nobody-at-all'));
    },
  );

  test(
    'enumeration: TOTP answers alike for a wrong code, a user without TOTP, ' + 'an unknown user and over the limit',
    async () => {
      const limited = await extraApp({ strategyOptions: { totpLimit: { max: 1, windowMs: 60_000 } } });
      const code = await phone.totp('tom');
      const wrong = code === '000000' ? '111111' : '000000';
      const answer = async (username: string, otp: string): Promise<unknown> => {
        const r = await request(limited.url).post('/login').set('Accept', 'application/json').send({ username, otp });
        return { status: r.status, body: r.body as unknown };
      };
      const wrongCode = await answer('tom', wrong);
      assert.deepEqual(await answer('pam', wrong), wrongCode, 'a user without TOTP');
      assert.deepEqual(await answer('nobody-totp', wrong), wrongCode, 'an unknown user');
      assert.deepEqual(
        await answer(' tom ', code),
        wrongCode,
        'the valid code, over the limit (whitespace variant counted)',
      );
      assert.deepEqual(await answer('tom', 'abc'), wrongCode, 'a malformed code');
    },
  );

  // ------------------------------------------------------------------------------------------- logout

  test('remote logout reaches every session of the user on every instance, and only that user', async () => {
    const shared = new MemoryStore();
    const one = await extraApp({ store: shared });
    const two = await extraApp({ store: shared });
    try {
      const logIn = async (url: string, username: string): Promise<ReturnType<typeof request.agent>> => {
        const browser = request.agent(url);
        await startPush(browser, username);
        await phone.answer(username, 'approve');
        assert.equal((await statusNow(browser)).body['status'], 'authorized');
        return browser;
      };
      const first = await logIn(one.url, 'ray');
      const second = await logIn(two.url, 'ray');
      const other = await logIn(two.url, 'sue');
      const from = sink.received.length;
      await phone.logout('ray');
      assert.equal(sink.received.length, from + 1);
      assert.equal((await deliver(one.url, sink.last())).status, 204);
      assert.equal((await first.get('/me')).status, 401);
      assert.equal((await second.get('/me')).status, 401);
      assert.equal((await other.get('/me')).status, 200);
      assert.deepEqual(await phone.sessionsOf('ray'), []);
    } finally {
      await shared.close();
    }
  });

  test('logout: req.logout() ends the TruValidate session once; a second logout calls nothing', async () => {
    const browser = request.agent(app.url);
    await startPush(browser, 'uma');
    await phone.answer('uma', 'approve');
    assert.equal((await statusNow(browser)).body['status'], 'authorized');
    assert.equal((await sessionListed('uma')).length, 1);
    const ends = proxy.count('DELETE /service/v3/sessions');
    assert.equal((await browser.post('/logout')).status, 204);
    assert.equal(proxy.count('DELETE /service/v3/sessions') - ends, 1);
    assert.deepEqual(await phone.sessionsOf('uma'), []);
    assert.equal((await browser.post('/logout')).status, 204);
    assert.equal(
      proxy.count('DELETE /service/v3/sessions') - ends,
      1,
      'a second logout of a logged-out session calls nothing',
    );
  });

  // ------------------------------------------------------------------------------------------- errors

  test('errors: typed, with stable codes; no stack or key material in the answers', async () => {
    const browser = request.agent(app.url);
    await startPush(browser, 'vic');
    proxy.mode = 'down';
    let body: Record<string, unknown>;
    try {
      body = (await browser.get('/login/status?wait=0')).body as Record<string, unknown>;
    } finally {
      proxy.mode = 'pass';
    }
    assert.equal(body['code'], 'ERR_TRUVALIDATE_API_UNAVAILABLE');
    assert.match(String(body['error']), /no login was granted/);
    assert.doesNotMatch(JSON.stringify(body), /PRIVATE KEY|\n\s+at /);
    assert.doesNotMatch(
      JSON.stringify(body),
      /ECONN|socket hang up|127\.0\.0\.1|:\d{2,5}\b/,
      'the network detail stays in cause (logs)',
    );
    const err = new TruValidateStrategyError('ERR_TRUVALIDATE_API_UNAVAILABLE', 'x');
    assert.equal(err.status, 502);
    const forged = await deliver(app.url, {
      headers: { 'content-type': 'application/json', 'x-iov-jwt': 'a.b.c' },
      body: Buffer.from('{}'),
    });
    assert.ok(forged.status === 400 || forged.status === 401);
    assert.doesNotMatch(forged.body, /PRIVATE KEY|\n\s+at /);
    assert.equal((await browser.post('/login/cancel')).body.canceled, true);
  });

  // ------------------------------------------------------------------------------------------- holes found, fixed

  test(
    'session fixation: a start gives the browser a new session id; a ' + 'planted pre-login id never sees the login',
    async () => {
      // The attacker gets a valid session id (any page that stores something in the session) and plants it in the
      // victim's browser (cookie tossing from a sibling subdomain, a shared kiosk, ...).
      const planted = sessionCookie(await request(app.url).get('/account'));
      assert.ok(planted);
      const victimStart = await request(app.url)
        .post('/login')
        .set('Cookie', `test.sid=${planted}`)
        .set('Accept', 'application/json')
        .send({ username: 'wes' });
      assert.equal(victimStart.status, 202);
      await phone.answer('wes', 'approve'); // the victim approves the push they asked for
      // The attacker polls with the same (pre-login) session id before the victim's waiting page does.
      const stolen = await request(app.url).get('/login/status?wait=0').set('Cookie', `test.sid=${planted}`);
      const attackerCookie = sessionCookie(stolen) ?? planted;
      const me = await request(app.url).get('/me').set('Cookie', `test.sid=${attackerCookie}`);
      assert.equal(me.status, 401, `the attacker's session is logged in as ${JSON.stringify(me.body.user)}`);
    },
  );

  test(
    'enumeration: a second start from another browser answers 409 alike for ' + 'a known and an unknown user',
    async () => {
      const answer = async (username: string): Promise<unknown> => {
        await startPush(request.agent(app.url), username); // first browser: a real push, or a decoy
        const calls = proxy.calls.length;
        const r = await request.agent(app.url).post('/login').set('Accept', 'application/json').send({ username });
        return { status: r.status, body: r.body as unknown, apiCalls: proxy.calls.length - calls };
      };
      const unknown = await answer('nobody-enum-1');
      const known = await answer('pam');
      assert.deepEqual(known, unknown);
      assert.deepEqual(known, {
        status: 409,
        body: {
          message: (known as { body: { message: string } }).body.message,
          status: 'busy',
          reason: 'AUTHORIZATION_IN_PROGRESS',
        },
        apiCalls: 1,
      });
    },
  );

  test("enumeration: pendingLogin(req).authRequestId of a decoy is a v1 UUID like the API's", async () => {
    const real = request.agent(app.url);
    await startPush(real, 'sue');
    const realId = ((await real.get('/login/pending')).body.pending as { authRequestId: string }).authRequestId;
    await real.post('/login/cancel');
    const decoy = request.agent(app.url);
    await startPush(decoy, 'nobody-uuid');
    const decoyId = ((await decoy.get('/login/pending')).body.pending as { authRequestId: string }).authRequestId;
    assert.equal(decoyId[14], realId[14], `UUID versions differ: real ${realId}, decoy ${decoyId}`);
  });

  test('MemoryStore flood: over-limit starts (429) never evict a real pending login', async () => {
    const small = new MemoryStore({ maxEntries: 20 });
    const a = await extraApp({ store: small, strategyOptions: { pushLimit: { max: 1, windowMs: 60_000 } } });
    try {
      const victim = request.agent(a.url);
      await startPush(victim, 'yan');
      const apiCalls = proxy.calls.length;
      for (let i = 0; i < 25; i++)
        await request(a.url).post('/login').set('Accept', 'application/json').send({ username: 'flood' });
      assert.ok(proxy.calls.length - apiCalls <= 2, 'the flood costs the attacker (almost) no API call');
      await phone.answer('yan', 'approve');
      const status = await statusNow(victim);
      assert.equal(status.body['status'], 'authorized', JSON.stringify(status.body));
    } finally {
      await small.close();
    }
  });

  test('MemoryStore full of counters: spraying new usernames never resets the push counter of the target', async () => {
    const small = new MemoryStore({ maxEntries: 20 });
    const a = await extraApp({ store: small, strategyOptions: { pushLimit: { max: 1, windowMs: 60_000 } } });
    try {
      await startPush(request.agent(a.url), 'zoe');
      await phone.answer('zoe', 'deny');
      const second = await request
        .agent(a.url)
        .post('/login')
        .set('Accept', 'application/json')
        .send({ username: 'zoe' });
      assert.equal(second.status, 429, 'over the limit (was a 202 decoy before 429 answers)');
      assert.deepEqual(await phone.auths('zoe'), [], 'over the limit: no push');
      for (let i = 0; i < 25; i++)
        await request(a.url)
          .post('/login')
          .set('Accept', 'application/json')
          .send({ username: `spray-${i}` });
      // The spray's decoys filled the store; the target's counter is still there: still 429, still no push.
      const again = await request(a.url).post('/login').set('Accept', 'application/json').send({ username: 'zoe' });
      assert.deepEqual([again.status, again.body.reason], [429, 'rate_limited']);
      assert.deepEqual(await phone.auths('zoe'), [], 'still over the limit: no push');
      assert.equal(await small.increment('push:zoe', 60_000), 4, 'the counter of the target is intact');
    } finally {
      await small.close();
    }
  });

  test(
    'remote logout: a session-end delivered late (API retry after a 5xx) ' +
      'logs out only the logins from before the phone logout',
    async () => {
      const first = request.agent(app.url);
      await startPush(first, 'xia');
      await phone.answer('xia', 'approve');
      assert.equal((await statusNow(first)).body['status'], 'authorized');
      await sessionListed('xia'); // sessionStart runs in the background: the phone logout must find the session
      const from = sink.received.length;
      await phone.logout('xia');
      assert.equal(sink.received.length, from + 1);
      const sessionEnd = sink.last();
      store.down.add('markLoggedOut');
      try {
        assert.equal((await deliver(app.url, sessionEnd)).status, 503, 'the typed 503 (was 500): the API will retry');
      } finally {
        store.down.delete('markLoggedOut');
      }
      // Meanwhile (from two seconds on: API times and the measured clock offset have whole-second precision) the
      // user logs in again in another browser.
      const apiTime = Date.parse(
        String((JSON.parse(sessionEnd.body.toString('utf8')) as { api_time: string }).api_time),
      );
      await new Promise((r) => setTimeout(r, Math.max(0, apiTime + 2_000 - Date.now())));
      const second = request.agent(app.url);
      await startPush(second, 'xia');
      await phone.answer('xia', 'approve');
      assert.equal((await statusNow(second)).body['status'], 'authorized');
      // The API's retry of the same signed webhook arrives.
      assert.equal((await deliver(app.url, sessionEnd)).status, 204);
      assert.equal((await first.get('/me')).status, 401, 'the session from before the phone logout is logged out');
      assert.equal((await second.get('/me')).status, 200, 'the login made after the phone logout stays');
    },
  );

  test('open redirect: the status answer never hands a protocol-relative returnTo to the waiting page', async () => {
    const browser = request.agent(app.url);
    assert.equal((await browser.get('//evil.example/phish')).status, 401); // the app stores req.originalUrl
    await startPush(browser, 'vic');
    await phone.answer('vic', 'approve');
    const status = await statusNow(browser);
    assert.equal(status.body['status'], 'authorized');
    const returnTo = status.body['returnTo'];
    assert.ok(
      returnTo === undefined || (typeof returnTo === 'string' && /^\/(?![/\\])/.test(returnTo)),
      `returnTo ${JSON.stringify(returnTo)} leaves the site`,
    );
  });

  test(
    "enumeration by timing: a decoy's status poll and cancel make the same " + "API calls as a real login's",
    async () => {
      // Counted API calls stand in for time: each is one round trip to the API (about 2 ms on loopback, the full
      // internet round trip in production), which the attacker measures on the status route of their own session.
      const costs = async (username: string): Promise<{ status: number; cancel: number }> => {
        const browser = request.agent(app.url);
        await startPush(browser, username);
        await new Promise((r) => setTimeout(r, 60)); // past pollIntervalMs (50 ms)
        let before = proxy.calls.length;
        assert.equal((await statusNow(browser)).body['status'], 'pending');
        const status = proxy.calls.length - before;
        before = proxy.calls.length;
        assert.equal((await browser.post('/login/cancel')).body.canceled, true);
        return { status, cancel: proxy.calls.length - before };
      };
      const real = await costs('ann');
      const decoy = await costs('nobody-timing');
      assert.deepEqual(decoy, real);
    },
  );

  test(
    "logout both ways: req.logout() in one browser ends the user's sessions " + 'in every browser; a later login stays',
    async () => {
      const logIn = async (): Promise<ReturnType<typeof request.agent>> => {
        const browser = request.agent(app.url);
        await startPush(browser, 'abe');
        await phone.answer('abe', 'approve');
        assert.equal((await statusNow(browser)).body['status'], 'authorized');
        await sessionListed('abe'); // sessionStart runs in the background: the phone logout must find it
        return browser;
      };
      const office = await logIn();
      const home = await logIn();
      assert.equal((await office.post('/logout')).status, 204); // sessionEnd: the TruValidate session is over
      assert.equal(
        (await home.get('/me')).status,
        401,
        'one TruValidate session per user: ending it ends it in every browser',
      );
      const later = await logIn();
      assert.equal((await later.get('/me')).status, 200, 'a login made after the logout stays');
      const from = sink.received.length;
      await phone.logout('abe'); // the phone logout still reaches the new session
      for (const webhook of sink.received.slice(from)) await deliver(app.url, webhook);
      assert.equal((await later.get('/me')).status, 401);
    },
  );
});
