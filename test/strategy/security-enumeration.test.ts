/**
 * User enumeration: known and unknown usernames get the same answers (start, 429, TOTP, 409 from another browser,
 * decoy ids, API calls made), so that an attacker learns nothing from them.
 * Attacks against a real app through the API proxy and the webhook sink of helpers/security-review.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { sessionCookie } from './helpers/cookies';
import type { Phone } from './helpers/emulator';
import { startPush, statusNow } from './helpers/flows';
import { ApiProxy, ReviewHarness, type ReviewApp } from './helpers/security-review';

describe('security: enumeration', () => {
  const review = new ReviewHarness();
  let phone: Phone;
  let proxy: ApiProxy;
  let app: ReviewApp;
  const extraApp = (options?: Parameters<ReviewHarness['extraApp']>[0]): Promise<ReviewApp> => review.extraApp(options);

  before(async () => {
    ({ phone, proxy, app } = await review.start());
  });

  after(() => review.close());

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
});
