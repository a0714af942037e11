/**
 * Logout both ways: a phone logout reaches every session of the user on every instance (also when delivered late),
 * req.logout() ends the TruValidate session once and in every browser of the user.
 * Attacks against a real app through the API proxy and the webhook sink of helpers/security-review.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { MemoryStore } from 'passport-truvalidate';
import type { Phone } from './helpers/emulator';
import { startPush, statusNow } from './helpers/flows';
import { ApiProxy, BrokenStore, ReviewHarness, WebhookSink, deliver, type ReviewApp } from './helpers/security-review';

describe('security: logout', () => {
  const review = new ReviewHarness();
  let phone: Phone;
  let proxy: ApiProxy;
  let sink: WebhookSink;
  let app: ReviewApp;
  let store: BrokenStore;
  const extraApp = (options?: Parameters<ReviewHarness['extraApp']>[0]): Promise<ReviewApp> => review.extraApp(options);
  const sessionListed = (user: string): ReturnType<ReviewHarness['sessionListed']> => review.sessionListed(user);

  before(async () => {
    ({ phone, proxy, sink, app, store } = await review.start());
  });

  after(() => review.close());

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
        await sessionListed(username); // sessionStart runs in the background: the phone logout must find it
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
