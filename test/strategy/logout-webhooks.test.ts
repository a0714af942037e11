import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Emulator } from 'passport-truvalidate/emulator';
import { contentHash, signJwt } from '../../lib/sdk/transport/jose-primitives';
import { parseRsaPrivateKey } from '../../lib/sdk/transport/keys';
import { emulatorWithUsers, type Phone } from './helpers/emulator';
import { logInWithPush } from './helpers/flows';
import { startRecorder, type WebhookRecorder } from './helpers/recorder';
import { startTestApp, type TestApp } from './helpers/app';

/** The status of a well-formed webhook JWT signed by the wrong key (an unknown `kid`: the SDK's rejection). */
const FORGED_STATUS = 400;

describe('logout both ways and webhook safety', () => {
  let emulator: Emulator;
  let phone: Phone;
  let app: TestApp;
  let recorder: WebhookRecorder;

  before(async () => {
    ({ emulator, phone } = await emulatorWithUsers(['ivan', 'judy', 'kim', 'lou']));
    app = await startTestApp({ apiUrl: emulator.url, service: emulator.service });
    recorder = await startRecorder(app.url);
    emulator.setServiceCallbackUrl(emulator.service.id, recorder.url);
  });

  after(async () => {
    await recorder.close();
    await app.close();
    await emulator.close();
  });

  test('req.logout() ends the TruValidate session too', async () => {
    const browser = request.agent(app.url);
    await logInWithPush(browser, phone, 'ivan');
    assert.equal((await phone.sessionListed('ivan')).length, 1);
    assert.equal((await browser.post('/logout')).status, 204);
    assert.deepEqual(await phone.sessionsOf('ivan'), []);
    assert.equal((await browser.get('/me')).status, 401);
  });

  test('a session-end webhook (logout on the phone) logs out every browser session of that user', async () => {
    const first = request.agent(app.url);
    const second = request.agent(app.url);
    const other = request.agent(app.url);
    await logInWithPush(first, phone, 'judy');
    await logInWithPush(second, phone, 'judy');
    await logInWithPush(other, phone, 'lou');
    const ended = await phone.logout('judy');
    assert.deepEqual(
      ended.webhooks.map((w) => w.status),
      [204],
    );
    assert.equal((await first.get('/me')).status, 401);
    assert.equal((await second.get('/me')).status, 401);
    assert.equal((await other.get('/me')).status, 200, 'other users stay logged in');
  });

  test('a replayed webhook is ignored: a replayed session end does not log out a newer login', async () => {
    const before = request.agent(app.url);
    await logInWithPush(before, phone, 'kim');
    const from = recorder.recorded.length;
    await phone.logout('kim');
    const sessionEnd = recorder.recorded
      .slice(from)
      .find((w) => w.headers['content-type']?.startsWith('application/json'));
    assert.ok(sessionEnd, 'the session-end webhook was recorded');
    assert.equal(sessionEnd.status, 204);
    assert.equal((await before.get('/me')).status, 401);

    const later = request.agent(app.url);
    await logInWithPush(later, phone, 'kim');
    const replay = await request(app.url)
      .post(sessionEnd.path)
      .set(sessionEnd.headers)
      .send(sessionEnd.body.toString('utf8'));
    assert.equal(replay.status, 204, JSON.stringify(replay.body));
    assert.equal((await later.get('/me')).status, 200, 'the replay changed nothing');

    const approval = recorder.recorded
      .slice(from)
      .find((w) => w.headers['content-type']?.startsWith('application/jose'));
    assert.ok(approval);
    const replayedApproval = await request(app.url)
      .post(approval.path)
      .set(approval.headers)
      .send(approval.body.toString('utf8'));
    assert.equal(replayedApproval.status, 204);
  });

  test(
    'forged webhooks are refused with 4xx JSON that says rejected without ' +
      'verification details, and change nothing',
    async () => {
      const browser = request.agent(app.url);
      await logInWithPush(browser, phone, 'lou');
      const me = await browser.get('/me');
      const hash = me.body.user.serviceUserHash as string;
      const body = JSON.stringify({ service_user_hash: hash, api_time: new Date().toISOString() });

      const noJwt = await request(app.url)
        .post('/webhooks/truvalidate')
        .set('Content-Type', 'application/json')
        .send(body);
      const rejected = { error: 'rejected', message: 'The webhook was rejected.' };
      assert.deepEqual([noJwt.status, noJwt.body], [401, rejected]);

      const garbage = await request(app.url)
        .post('/webhooks/truvalidate')
        .set('Content-Type', 'application/json')
        .set('X-IOV-JWT', 'not.a.jwt')
        .send(body);
      assert.deepEqual([garbage.status, garbage.body], [400, rejected]);

      // Signed with the service's own key instead of the API's: a well-formed JWT from the wrong signer.
      const now = Math.floor(Date.now() / 1000);
      const forgedJwt = await signJwt(
        {
          iss: 'lka',
          aud: `svc:${emulator.service.id}`,
          sub: `svc:${emulator.service.id}`,
          iat: now,
          nbf: now,
          exp: now + 30,
          jti: 'forged-1',
          request: {
            meth: 'POST',
            path: '/webhooks/truvalidate',
            func: 'S256',
            hash: contentHash('S256', Buffer.from(body)),
          },
        },
        parseRsaPrivateKey(emulator.service.privateKey),
        'RS256',
        'forged-kid',
        'JWT',
      );
      const forged = await request(app.url)
        .post('/webhooks/truvalidate')
        .set('Content-Type', 'application/json')
        .set('X-IOV-JWT', forgedJwt)
        .send(body);
      assert.deepEqual([forged.status, forged.body], [FORGED_STATUS, rejected]);

      assert.equal(await app.store.loggedOutAt(hash), null, 'no logout marker was written');
      assert.equal((await browser.get('/me')).status, 200);

      const tooBig = await request(app.url)
        .post('/webhooks/truvalidate')
        .set('Content-Type', 'application/json')
        .set('X-IOV-JWT', forgedJwt)
        .send('x'.repeat(70_000));
      assert.deepEqual(
        [tooBig.status, tooBig.body],
        [413, { error: 'rejected', message: 'The webhook was rejected: the body is too large.' }],
      );
      for (const method of ['get', 'put'] as const) {
        const wrongMethod = await request(app.url)[method]('/webhooks/truvalidate');
        assert.deepEqual(
          [wrongMethod.status, wrongMethod.headers['allow'], wrongMethod.body],
          [405, 'POST', { error: 'rejected', message: 'The webhook was rejected: use POST.' }],
        );
      }
    },
  );
});
