/**
 * Push bombing and floods: username variants share one push counter, and floods of a MemoryStore never evict a real
 * pending login nor reset the target's counter.
 * Attacks against a real app through the API proxy and the webhook sink of helpers/security-review.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { MemoryStore, caselessUsername } from 'passport-truvalidate';
import type { Phone } from './helpers/emulator';
import { startPush, statusNow } from './helpers/flows';
import { ApiProxy, ReviewHarness, type ReviewApp } from './helpers/security-review';

describe('security: limits', () => {
  const review = new ReviewHarness();
  let phone: Phone;
  let proxy: ApiProxy;
  const extraApp = (options?: Parameters<ReviewHarness['extraApp']>[0]): Promise<ReviewApp> => review.extraApp(options);

  before(async () => {
    ({ phone, proxy } = await review.start());
  });

  after(() => review.close());

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
});
