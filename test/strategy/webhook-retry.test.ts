/**
 * A webhook the store refused is answered 5xx and is not remembered as seen: the API's retry of the same signed
 * request is stored and completes the login (or the logout). The store here is a real MemoryStore whose next
 * write of a chosen kind rejects, as a store that is down does.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Emulator } from 'passport-truvalidate/emulator';
import { MemoryStore, type LoginResult } from 'passport-truvalidate';
import { emulatorWithUsers, type Phone } from './helpers/emulator';
import { logInWithPush, startPush } from './helpers/flows';
import { startRecorder, type RecordedWebhook, type WebhookRecorder } from './helpers/recorder';
import { startTestApp, type TestApp } from './helpers/app';

type Write = 'putResult' | 'markSeen' | 'markLoggedOut';

/** A MemoryStore whose next write of each armed kind rejects once. */
class FailingOnceStore extends MemoryStore {
  private readonly armed = new Set<Write>();

  failNext(write: Write): void {
    this.armed.add(write);
  }

  private check(write: Write): void {
    if (this.armed.delete(write)) throw new Error(`store unavailable (${write})`);
  }

  override async putResult(authRequestId: string, result: LoginResult, ttlMs: number): Promise<void> {
    this.check('putResult');
    return super.putResult(authRequestId, result, ttlMs);
  }

  override async markSeen(id: string, ttlMs: number): Promise<boolean> {
    this.check('markSeen');
    return super.markSeen(id, ttlMs);
  }

  override async markLoggedOut(serviceUserHash: string, at: number, ttlMs: number): Promise<void> {
    this.check('markLoggedOut');
    return super.markLoggedOut(serviceUserHash, at, ttlMs);
  }
}

describe('a webhook retried after a store failure', () => {
  let emulator: Emulator;
  let phone: Phone;
  let store: FailingOnceStore;
  let app: TestApp;
  let recorder: WebhookRecorder;
  const logs: string[] = [];

  before(async () => {
    ({ emulator, phone } = await emulatorWithUsers(['mia', 'ned', 'olga']));
    store = new FailingOnceStore();
    app = await startTestApp({ apiUrl: emulator.url, service: emulator.service, store, logs });
    recorder = await startRecorder(app.url);
    emulator.setServiceCallbackUrl(emulator.service.id, recorder.url);
  });

  after(async () => {
    await recorder.close();
    await app.close();
    await store.close();
    await emulator.close();
  });

  /** Delivers a recorded webhook again, as the API does on a retry (same signed request). */
  async function redeliver(webhook: RecordedWebhook): Promise<number> {
    return (await request(app.url).post(webhook.path).set(webhook.headers).send(webhook.body.toString('utf8'))).status;
  }

  /** Approves the only pending push of `username` on the phone; returns the webhook the app got. */
  async function approve(username: string): Promise<{ authRequestId: string; webhook: RecordedWebhook }> {
    const from = recorder.recorded.length;
    const authRequestId = await phone.answer(username, 'approve');
    const webhook = recorder.recorded[from];
    assert.ok(webhook, 'the authorization webhook was recorded');
    return { authRequestId, webhook };
  }

  for (const write of ['putResult', 'markSeen'] as const) {
    test(`${write} failing: the typed 503, then the retry is stored and the login completes`, async () => {
      const username = write === 'putResult' ? 'mia' : 'ned';
      const browser = request.agent(app.url);
      await startPush(browser, username);
      store.failNext(write);
      const { authRequestId, webhook } = await approve(username);
      // Changed: the webhook path uses the store-error boundary (it answered a generic 500).
      assert.equal(webhook.status, 503, 'a webhook the store refused is not acknowledged');
      assert.ok(
        logs.some((l) => l.includes(`store failed (${write})`)),
        logs.join('\n'),
      );
      if (write === 'putResult') assert.equal(await store.getResult(authRequestId), null, 'nothing was stored');
      store.failNext(write);
      const typed = await request(app.url).post(webhook.path).set(webhook.headers).send(webhook.body.toString('utf8'));
      assert.deepEqual(
        [typed.status, typed.body],
        [
          503,
          {
            error: `The TruValidate store failed (${write}), no login was granted.`,
            code: 'ERR_TRUVALIDATE_STORE_UNAVAILABLE',
          },
        ],
      );

      assert.equal(await redeliver(webhook), 204);
      assert.equal((await store.getResult(authRequestId))?.status, 'authorized', 'the retry stored the result');
      const status = await browser.get('/login/status?wait=0').set('Accept', 'application/json');
      assert.equal(status.body.status, 'authorized');
      assert.equal((await browser.get('/me')).body.user.username, username);

      assert.equal(await redeliver(webhook), 204, 'a replay after the stored copy is ignored');
    });
  }

  test('markLoggedOut failing: the typed 503, the user stays logged in, then the retry logs the user out', async () => {
    const browser = request.agent(app.url);
    await logInWithPush(browser, phone, 'olga');
    const from = recorder.recorded.length;
    store.failNext('markLoggedOut');
    assert.deepEqual(
      (await phone.logout('olga')).webhooks.map((w) => w.status),
      [503],
    );
    assert.equal((await browser.get('/me')).status, 200, 'no logout marker was stored');
    const sessionEnd = recorder.recorded[from];
    assert.ok(sessionEnd);

    assert.equal(await redeliver(sessionEnd), 204);
    assert.equal((await browser.get('/me')).status, 401, 'the retry logged the user out');
  });
});
