/**
 * Once only: an approved login completes once, whichever of the status poll, authenticate and the webhook (on any
 * instance) sees it first, and many polls of one login make at most one API poll per interval.
 * Attacks against a real app through the API proxy and the webhook sink of helpers/security-review.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import session from 'express-session';
import request from 'supertest';
import { MemoryStore } from 'passport-truvalidate';
import type { Emulator } from 'passport-truvalidate/emulator';
import { sessionCookie } from './helpers/cookies';
import type { Phone } from './helpers/emulator';
import { startPush } from './helpers/flows';
import { ApiProxy, ReviewHarness, WEBHOOK_PATH, WebhookSink, type ReviewApp } from './helpers/security-review';

describe('security: once only', () => {
  const review = new ReviewHarness();
  let emulator: Emulator;
  let phone: Phone;
  let proxy: ApiProxy;
  let sink: WebhookSink;
  let app: ReviewApp;
  const extraApp = (options?: Parameters<ReviewHarness['extraApp']>[0]): Promise<ReviewApp> => review.extraApp(options);
  const sessionListed = (user: string): ReturnType<ReviewHarness['sessionListed']> => review.sessionListed(user);

  before(async () => {
    ({ emulator, phone, proxy, sink, app } = await review.start());
  });

  after(() => review.close());

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
});
