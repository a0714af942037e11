import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Emulator } from 'passport-truvalidate/emulator';
import { ServiceFactory, type ServiceClient } from 'passport-truvalidate/sdk';
import { sessionCookie } from './helpers/cookies';
import { emulatorWithUsers, type Phone } from './helpers/emulator';
import { logInWithPush, startPush, statusNow } from './helpers/flows';
import { startTestApp, type TestApp, type TestUser } from './helpers/app';

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'leo', 'mia', 'limited', 'rita'];

describe('push login', () => {
  let emulator: Emulator;
  let phone: Phone;
  let app: TestApp;
  let limited: TestApp;
  let admin: ServiceClient;
  let verifyCalls = 0;
  let sessionStarts = 0;

  before(async () => {
    ({ emulator, phone } = await emulatorWithUsers(USERS));
    const client = new ServiceFactory(emulator.service.id, emulator.service.privateKey, {
      url: emulator.url,
    }).makeServiceClient();
    const sessionStart = client.sessionStart.bind(client);
    client.sessionStart = async (user, id) => {
      sessionStarts += 1;
      return sessionStart(user, id);
    };
    app = await startTestApp({
      apiUrl: emulator.url,
      service: emulator.service,
      client,
      strategyOptions: { pollIntervalMs: 100, ttl: (req) => Number(req.get('x-ttl') ?? 300) },
      verify: async (username, profile) => {
        verifyCalls += 1;
        if (username === 'rita') return false;
        return { username, method: profile.method, serviceUserHash: profile.serviceUserHash } satisfies TestUser;
      },
    });
    limited = await startTestApp({
      apiUrl: emulator.url,
      service: emulator.service,
      strategyOptions: { pushLimit: { max: 2, windowMs: 60_000 } },
    });
    admin = new ServiceFactory(emulator.service.id, emulator.service.privateKey, {
      url: emulator.url,
    }).makeServiceClient();
    emulator.setServiceCallbackUrl(emulator.service.id, app.webhookUrl);
  });

  after(async () => {
    await app.close();
    await limited.close();
    await emulator.close();
  });

  test(
    'approved through the webhook: the result is stored before any poll, ' +
      'the session id changes, sessionStart runs',
    async () => {
      const browser = request.agent(app.url);
      const started = await browser.post('/login').set('Accept', 'application/json').send({ username: 'alice' });
      assert.equal(started.status, 202);
      assert.deepEqual(started.body, { status: 'pending' });
      const before = sessionCookie(started);
      assert.ok(before, 'the start creates the session');

      const auth = await phone.onlyAuth('alice');
      const answer = await phone.respond(auth.authRequestId, 'approve');
      assert.equal(answer.webhook?.status, 204);
      assert.equal(
        (await app.store.getResult(auth.authRequestId))?.status,
        'authorized',
        'the webhook stored the result',
      );

      const status = await browser.get('/login/status?wait=0');
      assert.equal(status.status, 200);
      assert.equal(status.body.status, 'authorized');
      const afterLogin = sessionCookie(status);
      assert.ok(afterLogin);
      assert.notEqual(afterLogin, before, 'the session id changes at login');

      const me = await browser.get('/me');
      assert.equal(me.status, 200);
      assert.equal(me.body.user.username, 'alice');
      assert.equal(me.body.user.method, 'push');
      assert.equal(typeof me.body.user.serviceUserHash, 'string');
      assert.equal(me.body.login.login.username, 'alice');
      assert.equal(me.body.login.pending, undefined);
      const sessions = await phone.sessionListed('alice');
      assert.deepEqual(
        sessions.map((s) => [s.serviceId, s.authRequest]),
        [[emulator.service.id, auth.authRequestId]],
      );
    },
  );

  test('approved with polling only (no callback URL): a waiting status poll completes the login', async () => {
    emulator.setServiceCallbackUrl(emulator.service.id, null);
    try {
      const deliveries = emulator.webhookLog.length;
      const browser = request.agent(app.url);
      await startPush(browser, 'bob');
      const waiting = browser.get('/login/status').then((r) => r);
      const auth = await phone.onlyAuth('bob');
      const answer = await phone.respond(auth.authRequestId, 'approve');
      assert.equal(answer.webhook, null);
      const status = await waiting;
      assert.equal(status.body.status, 'authorized');
      assert.equal(emulator.webhookLog.length, deliveries, 'no webhook was sent');
      assert.equal((await browser.get('/me')).body.user.username, 'bob');
    } finally {
      emulator.setServiceCallbackUrl(emulator.service.id, app.webhookUrl);
    }
  });

  test('denied: authenticate fails with the reason, no login', async () => {
    const browser = request.agent(app.url);
    await startPush(browser, 'carol');
    await phone.answer('carol', 'deny');
    const res = await browser.post('/login').set('Accept', 'application/json').send({});
    assert.equal(res.status, 401);
    assert.equal(res.body.status, 'denied');
    assert.equal(res.body.reason, 'DISAPPROVED');
    assert.equal(res.body.fraud, false);
    assert.match(res.body.message, /denied/);
    assert.equal((await browser.get('/me')).status, 401);
    assert.equal((await statusNow(browser)).code, 404, 'the session no longer waits');
  });

  test('fraud: the status answers denied with FRAUDULENT, no login', async () => {
    const browser = request.agent(app.url);
    await startPush(browser, 'carol');
    await phone.answer('carol', 'fraud');
    const { code, body } = await statusNow(browser);
    assert.equal(code, 200);
    assert.equal(body['status'], 'denied');
    assert.equal(body['reason'], 'FRAUDULENT');
    assert.equal((await browser.get('/me')).status, 401);
  });

  test('canceled: the status answers canceled', async () => {
    const browser = request.agent(app.url);
    await startPush(browser, 'dave');
    const auth = await phone.onlyAuth('dave');
    await admin.cancelAuthorizationRequest(auth.authRequestId);
    const { body } = await statusNow(browser);
    assert.equal(body['status'], 'canceled');
    assert.equal((await browser.get('/me')).status, 401);
  });

  test('expired: once the TTL passed, the status answers expired and nothing logs in', async () => {
    const browser = request.agent(app.url);
    const res = await browser
      .post('/login')
      .set('Accept', 'application/json')
      .set('x-ttl', '1')
      .send({ username: 'erin' });
    assert.equal(res.status, 202);
    await new Promise((r) => setTimeout(r, 1100));
    const { body } = await statusNow(browser);
    assert.equal(body['status'], 'expired', JSON.stringify(body));
    assert.equal((await browser.get('/me')).status, 401);
    assert.equal(
      (await browser.post('/login').set('Accept', 'application/json').send({})).status,
      400,
      'nothing left to complete',
    );
  });

  test("session B can neither read, take over nor complete session A's login", async () => {
    const a = request.agent(app.url);
    const b = request.agent(app.url);
    await startPush(a, 'frank');
    assert.equal((await statusNow(b)).code, 404);
    const takeOver = await b.post('/login').set('Accept', 'application/json').send({ username: 'frank' });
    assert.equal(takeOver.status, 409);
    assert.equal(takeOver.body.reason, 'AUTHORIZATION_IN_PROGRESS');
    assert.equal((await phone.auths('frank')).length, 1, 'no second push');
    await phone.answer('frank', 'approve');
    assert.equal((await statusNow(b)).code, 404);
    assert.equal((await b.post('/login').set('Accept', 'application/json').send({})).status, 400);
    assert.equal((await b.get('/me')).status, 401);
    assert.equal((await statusNow(a)).body['status'], 'authorized');
    assert.equal((await a.get('/me')).body.user.username, 'frank');
  });

  test('a consumed login cannot be replayed with the pre-login session cookie', async () => {
    const browser = request.agent(app.url);
    const started = await browser.post('/login').set('Accept', 'application/json').send({ username: 'grace' });
    const oldCookie = sessionCookie(started);
    assert.ok(oldCookie);
    const id = await phone.answer('grace', 'approve');
    assert.equal((await statusNow(browser)).body['status'], 'authorized');
    const replay = await request(app.url).get('/login/status?wait=0').set('Cookie', `test.sid=${oldCookie}`);
    assert.equal(replay.status, 404);
    assert.equal(replay.body.status, 'none');
    assert.equal((await request(app.url).get('/me').set('Cookie', `test.sid=${oldCookie}`)).status, 401);
    assert.equal(await app.store.consumePending(id), null);
  });

  test('two concurrent status polls of one session: one login, one verify, one sessionStart', async () => {
    const browser = request.agent(app.url);
    await startPush(browser, 'heidi');
    const verifiesBefore = verifyCalls;
    const startsBefore = sessionStarts;
    const polls = [browser.get('/login/status').then((r) => r), browser.get('/login/status').then((r) => r)];
    await new Promise((r) => setTimeout(r, 100));
    await phone.answer('heidi', 'approve');
    const answers = await Promise.all(polls);
    assert.deepEqual(
      answers.map((r) => r.body.status),
      ['authorized', 'authorized'],
    );
    assert.equal(
      answers.filter((r) => sessionCookie(r) !== null).length,
      1,
      'only the winner sets the new session cookie',
    );
    assert.equal(verifyCalls - verifiesBefore, 1);
    assert.equal((await phone.sessionListed('heidi')).length, 1);
    assert.equal(sessionStarts - startsBefore, 1);
    assert.equal((await browser.get('/me')).body.user.username, 'heidi');
  });

  test(
    'form flow: pending redirects to the waiting page, and the login keeps ' + 'returnTo across session regeneration',
    async () => {
      const browser = request.agent(app.url);
      assert.equal((await browser.get('/protected')).status, 401);
      const started = await browser
        .post('/login-redirect')
        .set('Accept', 'text/html')
        .type('form')
        .send({ username: 'leo' });
      assert.equal(started.status, 303);
      assert.equal(started.headers['location'], '/wait');
      const pending = await browser.post('/login-redirect').set('Accept', 'text/html').type('form').send({});
      assert.equal(pending.headers['location'], '/wait');
      await phone.answer('leo', 'approve');
      const done = await browser.post('/login-redirect').set('Accept', 'text/html').type('form').send({});
      assert.equal(done.status, 302);
      assert.equal(done.headers['location'], '/protected');
      const me = await browser.get('/me');
      assert.equal(me.body.user.username, 'leo');
      assert.equal(me.body.login.login.username, 'leo');
    },
  );

  test('starting again from the same session resumes the pending login (no second push)', async () => {
    const browser = request.agent(app.url);
    await startPush(browser, 'mia');
    await startPush(browser, 'mia');
    assert.equal((await phone.auths('mia')).length, 1);
    await phone.answer('mia', 'approve');
    assert.equal((await statusNow(browser)).body['status'], 'authorized');
  });

  test(
    'push limit: over the limit nothing is sent, 429 with Retry-After, and ' +
      'known and unknown usernames answer alike',
    async () => {
      const knownAnswers: { status: number; body: unknown; retryAfter: unknown }[] = [];
      for (let i = 0; i < 3; i++) {
        const browser = request.agent(limited.url);
        const res = await browser.post('/login').set('Accept', 'application/json').send({ username: 'limited' });
        knownAnswers.push({ status: res.status, body: res.body, retryAfter: res.headers['retry-after'] });
        const pushes = await phone.auths('limited');
        if (i < 2) {
          assert.equal(pushes.length, 1, `push ${i + 1} is sent`);
          await phone.respond((pushes[0] as { authRequestId: string }).authRequestId, 'deny');
        } else {
          assert.equal(pushes.length, 0, 'the third push is not sent');
          assert.equal((await statusNow(browser)).code, 404, 'the limited start left no login waiting');
        }
      }
      const unknownAnswers: { status: number; body: unknown; retryAfter: unknown }[] = [];
      for (let i = 0; i < 3; i++) {
        const browser = request.agent(limited.url);
        const res = await browser.post('/login').set('Accept', 'application/json').send({ username: 'nobody-here' });
        unknownAnswers.push({ status: res.status, body: res.body, retryAfter: res.headers['retry-after'] });
        // As the known user's denial frees the user, ending the decoy frees the unknown username (else: 409 busy).
        if (i < 2) assert.equal((await browser.post('/login/cancel')).body.canceled, true);
      }
      assert.deepEqual(knownAnswers, unknownAnswers);
      assert.deepEqual(unknownAnswers[0], { status: 202, body: { status: 'pending' }, retryAfter: undefined });
      // Changed with the per-client limit: over the push limit is now 429 (it was a 202 decoy, which filled the store).
      assert.deepEqual(unknownAnswers[2], {
        status: 429,
        body: {
          message: 'Too many login attempts; try again in 60 seconds.',
          status: 'limited',
          reason: 'rate_limited',
          retryAfter: 60,
        },
        retryAfter: '60',
      });
    },
  );

  test('verify refusing an approved user: failed, no login, and the session stops waiting', async () => {
    const browser = request.agent(app.url);
    await startPush(browser, 'rita');
    await phone.answer('rita', 'approve');
    const { body } = await statusNow(browser);
    assert.equal(body['status'], 'failed');
    assert.equal(body['reason'], 'VERIFY_REJECTED');
    assert.equal((await browser.get('/me')).status, 401);
    assert.equal((await statusNow(browser)).code, 404);
    assert.deepEqual(await phone.sessionsOf('rita'), [], 'no sessionStart');
  });

  test('a request without username nor pending login fails with 400', async () => {
    const res = await request(app.url).post('/login').set('Accept', 'application/json').send({});
    assert.equal(res.status, 400);
    assert.equal(res.body.reason, 'MISSING_USERNAME');
  });

  test('approval after a logged-in helper login works end to end (sanity of the shared flow)', async () => {
    const browser = request.agent(app.url);
    await logInWithPush(browser, phone, 'alice');
  });
});
