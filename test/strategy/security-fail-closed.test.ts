/**
 * Failing closed: with the API down, tampered or replayed answers, or the store down, nobody is logged in, and errors
 * are typed with stable codes and carry no stack or key material.
 * Attacks against a real app through the API proxy and the webhook sink of helpers/security-review.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { TruValidateStrategyError } from 'passport-truvalidate';
import type { Phone } from './helpers/emulator';
import { startPush, statusNow } from './helpers/flows';
import { ApiProxy, BrokenStore, ReviewHarness, deliver, type ReviewApp } from './helpers/security-review';

describe('security: fail closed', () => {
  const review = new ReviewHarness();
  let phone: Phone;
  let proxy: ApiProxy;
  let app: ReviewApp;
  let store: BrokenStore;

  before(async () => {
    ({ phone, proxy, app, store } = await review.start());
  });

  after(() => review.close());

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
    assert.equal(forged.status, 400, forged.body);
    assert.deepEqual(JSON.parse(forged.body), { error: 'rejected', message: 'The webhook was rejected.' });
    assert.doesNotMatch(forged.body, /PRIVATE KEY|\n\s+at /);
    assert.equal((await browser.post('/login/cancel')).body.canceled, true);
  });
});
