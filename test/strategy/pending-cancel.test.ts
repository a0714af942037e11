/**
 * The public helpers of a waiting page, against the emulator: `strategy.pendingLogin(req)` (who, until when; only
 * for the session that owns the login), `strategy.cancel(req)` (cancels at the API, tolerates an answer already
 * given, wakes waiting status calls) and the `denialReason` id in the status answer of a denial.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { WaitingLogin } from 'passport-truvalidate';
import type { Emulator } from 'passport-truvalidate/emulator';
import { DenialReason } from 'passport-truvalidate/sdk';
import { emulatorWithUsers, type Phone } from './helpers/emulator';
import { startPush, statusNow, type Browser } from './helpers/flows';
import { startTestApp, type TestApp } from './helpers/app';

const USERS = ['pat', 'quinn', 'ruth', 'sam', 'tess', 'uma', 'vic'];

async function pendingOf(browser: Browser): Promise<WaitingLogin | null> {
  const res = await browser.get('/login/pending');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.pending as WaitingLogin | null;
}

async function cancel(browser: Browser): Promise<boolean> {
  const res = await browser.post('/login/cancel');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.canceled as boolean;
}

describe('pendingLogin, cancel and denialReason', () => {
  let emulator: Emulator;
  let phone: Phone;
  let app: TestApp;

  before(async () => {
    ({ emulator, phone } = await emulatorWithUsers(USERS));
    // No callback URL: results come from API polls. A poll interval longer than the status timeout (5 s) means a
    // waiting status call can learn of a cancel only through the result `cancel` records.
    app = await startTestApp({
      apiUrl: emulator.url,
      service: emulator.service,
      strategyOptions: {
        pollIntervalMs: 60_000,
        ttl: 120,
        denialReasons: [new DenialReason('not-now', 'Not now', false), new DenialReason('not-me', 'Not me', true)],
      },
    });
  });

  after(async () => {
    await app.close();
    await emulator.close();
  });

  test(
    'pendingLogin: null without a login; the id, username and expiry of the ' + 'own login; null for another session',
    async () => {
      const browser = request.agent(app.url);
      assert.equal(await pendingOf(browser), null);
      const before = Date.now();
      await startPush(browser, 'pat');
      const auth = await phone.onlyAuth('pat');
      const pending = await pendingOf(browser);
      assert.ok(pending);
      assert.deepEqual(Object.keys(pending).sort(), ['authRequestId', 'expiresAt', 'username']);
      assert.equal(pending.authRequestId, auth.authRequestId);
      assert.equal(pending.username, 'pat');
      assert.ok(
        pending.expiresAt >= before + 120_000 && pending.expiresAt <= Date.now() + 120_000,
        `expiresAt ${pending.expiresAt}`,
      );
      assert.equal(await pendingOf(request.agent(app.url)), null, 'another browser session sees nothing');

      await phone.respond(auth.authRequestId, 'deny');
      assert.equal((await statusNow(browser)).body['status'], 'denied');
      assert.equal(await pendingOf(browser), null, 'a settled login is no longer pending');
    },
  );

  test('cancel: canceled at the API, and a waiting status call answers canceled', async () => {
    const browser = request.agent(app.url);
    await startPush(browser, 'quinn');
    await phone.onlyAuth('quinn');
    // This check uses the one API poll of the interval: from now on only the store can tell the status a result.
    assert.equal((await statusNow(browser)).body['status'], 'pending');
    const waiting = browser
      .get('/login/status')
      .set('Accept', 'application/json')
      .then((r) => r);

    assert.equal(await cancel(browser), true);
    assert.deepEqual(await phone.auths('quinn'), [], 'the request is canceled at TruValidate');
    const answer = await waiting;
    assert.equal(answer.status, 200);
    assert.equal(answer.body.status, 'canceled');
    assert.equal(answer.body.reason, 'CANCELED');
    assert.equal((await browser.get('/me')).status, 401);

    assert.equal(await cancel(browser), false, 'nothing is waiting any more');
    assert.equal(await pendingOf(browser), null);
  });

  test('cancel twice in a row (no status call between): true, then false', async () => {
    const browser = request.agent(app.url);
    await startPush(browser, 'vic');
    await phone.onlyAuth('vic');
    assert.equal(await cancel(browser), true);
    assert.equal(await cancel(browser), false, 'the second cancel cancels nothing');
    assert.equal((await statusNow(browser)).body['status'], 'canceled');
  });

  test('cancel from another session: false, and the login still waits', async () => {
    const owner = request.agent(app.url);
    await startPush(owner, 'ruth');
    const auth = await phone.onlyAuth('ruth');
    assert.equal(await cancel(request.agent(app.url)), false);
    assert.equal((await phone.onlyAuth('ruth')).authRequestId, auth.authRequestId);
    assert.equal((await pendingOf(owner))?.authRequestId, auth.authRequestId);
    assert.equal(await cancel(owner), true);
  });

  test('cancel after the device answered: false (SVC-006 tolerated), and the approval still logs in', async () => {
    const browser = request.agent(app.url);
    await startPush(browser, 'sam');
    await phone.answer('sam', 'approve');
    assert.equal(await cancel(browser), false);
    const status = await statusNow(browser);
    assert.equal(status.body['status'], 'authorized');
    assert.equal((await browser.get('/me')).body.user.username, 'sam');
  });

  test(
    'a decoy start (unknown username) looks pending and cancels like a real ' +
      'one, with the same API call (refused, ignored)',
    async () => {
      const browser = request.agent(app.url);
      await startPush(browser, 'nobody-at-all');
      const pending = await pendingOf(browser);
      assert.equal(pending?.username, 'nobody-at-all');
      assert.deepEqual(Object.keys(pending ?? {}).sort(), ['authRequestId', 'expiresAt', 'username']);
      assert.equal(await cancel(browser), true);
      assert.equal((await statusNow(browser)).body['status'], 'canceled');
    },
  );

  test('denied: the status answer carries the id of the denial reason the user picked', async () => {
    const browser = request.agent(app.url);
    await startPush(browser, 'tess');
    const auth = await phone.onlyAuth('tess');
    await phone.respond(auth.authRequestId, 'deny', { reason: 'not-now' });
    const { code, body } = await statusNow(browser);
    assert.equal(code, 200);
    assert.deepEqual(body, {
      status: 'denied',
      reason: 'DISAPPROVED',
      message: 'The login was denied on the device.',
      denialReason: 'not-now',
    });
  });

  test(
    'fraud: the status answer carries the fraud reason id too; ' + "authenticate's failure carries it as well",
    async () => {
      const browser = request.agent(app.url);
      await startPush(browser, 'uma');
      const auth = await phone.onlyAuth('uma');
      await phone.respond(auth.authRequestId, 'fraud', { reason: 'not-me' });
      const res = await browser.post('/login').set('Accept', 'application/json').send({});
      assert.equal(res.status, 401);
      assert.equal(res.body.reason, 'FRAUDULENT');
      assert.equal(res.body.denialReason, 'not-me');

      const second = request.agent(app.url);
      await startPush(second, 'uma');
      const again = await phone.onlyAuth('uma');
      await phone.respond(again.authRequestId, 'fraud', { reason: 'not-me' });
      const { body } = await statusNow(second);
      assert.equal(body['status'], 'denied');
      assert.equal(body['reason'], 'FRAUDULENT');
      assert.equal(body['denialReason'], 'not-me');
    },
  );
});
