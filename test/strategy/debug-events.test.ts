/**
 * Every decision is told as a debug line (passport-truvalidate:strategy / :webhook) and to onEvent, with the
 * reason of each decoy (unknown user, no linked device) and refusal; never a TOTP code, binding value or JWT.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { format, stripVTControlCharacters } from 'node:util';
import createDebug from 'debug';
import request from 'supertest';
import type { Emulator } from 'passport-truvalidate/emulator';
import { DirectoryFactory } from 'passport-truvalidate/sdk';
import type { TruValidateEvent } from 'passport-truvalidate';
import { emulatorWithUsers, type Phone } from './helpers/emulator';
import { logInWithPush, startPush } from './helpers/flows';
import { startTestApp, type TestApp } from './helpers/app';

describe('debug logging and onEvent', () => {
  let emulator: Emulator;
  let phone: Phone;
  let app: TestApp;
  const lines: string[] = [];
  const events: TruValidateEvent[] = [];
  const previousLog = createDebug.log;
  const previousNamespaces = createDebug.disable();

  before(async () => {
    createDebug.enable('passport-truvalidate:*');
    createDebug.log = (...args: unknown[]) => {
      lines.push(format(...args));
    };
    ({ emulator, phone } = await emulatorWithUsers(['kim', 'lou']));
    const directory = new DirectoryFactory(emulator.directory.id, emulator.directory.privateKey, {
      url: emulator.url,
    }).makeDirectoryClient();
    await directory.generateUserTotp('kim');
    await directory.linkDevice('no-device-yet'); // a user whose only device is still waiting to be linked
    app = await startTestApp({
      apiUrl: emulator.url,
      service: emulator.service,
      strategyOptions: { pushLimit: { max: 1, windowMs: 60_000 }, onEvent: (e) => events.push(e) },
    });
  });

  after(async () => {
    await app.close();
    await emulator.close();
    createDebug.log = previousLog;
    createDebug.enable(previousNamespaces);
  });

  function linesSince(from: number): string[] {
    return lines.slice(from).map((l) => stripVTControlCharacters(l));
  }

  test(
    'started, completed, limited, decoyed (unknown_user / no_device), ' + 'refused and failed, with their reasons',
    async () => {
      const from = lines.length;
      const fromEvents = events.length;
      const browser = request.agent(app.url);
      const id = await logInWithPush(browser, phone, 'lou');
      const over = await request
        .agent(app.url)
        .post('/login')
        .set('Accept', 'application/json')
        .send({ username: 'lou' });
      assert.equal(over.status, 429);
      await startPush(request.agent(app.url), 'nobody-debug');
      await startPush(request.agent(app.url), 'no-device-yet');
      await request(app.url).post('/login').set('Sec-Fetch-Site', 'cross-site').send({ username: 'lou' });
      const out = linesSince(from);
      const expect = [
        new RegExp(`passport-truvalidate:strategy started user="lou" authRequestId=${id}`),
        new RegExp(`passport-truvalidate:strategy completed user="lou" authRequestId=${id} reason=push`),
        /passport-truvalidate:strategy limited user="lou" reason=push_limit/,
        /passport-truvalidate:strategy decoyed user="nobody-debug" authRequestId=[0-9a-f-]{36} reason=unknown_user/,
        /passport-truvalidate:strategy decoyed user="no-device-yet" authRequestId=[0-9a-f-]{36} reason=no_device/,
        /passport-truvalidate:strategy refused reason=cross_site \(Sec-Fetch-Site: cross-site\)/,
      ];
      for (const pattern of expect)
        assert.ok(
          out.some((l) => pattern.test(l)),
          `${pattern} in:\n${out.join('\n')}`,
        );
      assert.deepEqual(
        events.slice(fromEvents).map((e) => [e.type, e.username ?? null, e.reason ?? null]),
        [
          ['started', 'lou', null],
          ['completed', 'lou', 'push'],
          ['limited', 'lou', 'push_limit'],
          ['decoyed', 'nobody-debug', 'unknown_user'],
          ['decoyed', 'no-device-yet', 'no_device'],
          ['refused', null, 'cross_site (Sec-Fetch-Site: cross-site)'],
        ],
      );
    },
  );

  test(
    'TOTP: completed and failed (invalid, replay) are logged; the code ' + 'never appears, nor any binding or cookie',
    async () => {
      const from = lines.length;
      const code = await phone.totp('kim');
      const wrong = code === '000000' ? '111111' : '000000';
      assert.equal((await request(app.url).post('/login').send({ username: 'kim', otp: wrong })).status, 401);
      const ok = await request.agent(app.url).post('/login').send({ username: 'kim', otp: code });
      assert.equal(ok.status, 200);
      assert.equal((await request(app.url).post('/login').send({ username: 'kim', otp: code })).status, 401);
      const out = linesSince(from).join('\n');
      assert.match(out, /strategy failed user="kim" reason=invalid_otp/);
      assert.match(out, /strategy completed user="kim" reason=totp/);
      assert.match(out, /strategy failed user="kim" reason=totp_replay/);
      const all = lines.join('\n');
      assert.ok(!all.includes(code) && !all.includes(wrong), 'no TOTP code in any debug line');
      const cookie = String(ok.headers['set-cookie']).split(';')[0]?.split('=')[1] ?? 'none';
      assert.ok(!all.includes(cookie), 'no session id');
      assert.ok(!JSON.stringify(events).includes(code), 'no TOTP code in any event');
    },
  );

  test(
    'webhooks: rejected with the verification detail in the debug line ' + 'only; accepted with the request id',
    async () => {
      const from = lines.length;
      const res = await request(app.url)
        .post('/webhooks/truvalidate')
        .set('Content-Type', 'application/json')
        .set('X-IOV-JWT', 'not.a.jwt')
        .send('{}');
      assert.deepEqual([res.status, res.body], [400, { error: 'rejected', message: 'The webhook was rejected.' }]);
      const got = await request(app.url).get('/webhooks/truvalidate');
      assert.equal(got.status, 405);
      const out = linesSince(from);
      assert.ok(
        out.some((l) => /passport-truvalidate:webhook webhook-rejected reason=400 \S/.test(l)),
        out.join('\n'),
      );
      assert.ok(
        out.some((l) => /passport-truvalidate:webhook webhook-rejected reason=405 method GET/.test(l)),
        out.join('\n'),
      );
      assert.ok(!out.some((l) => l.includes('not.a.jwt')), 'the JWT is not logged');
      emulator.setServiceCallbackUrl(emulator.service.id, app.webhookUrl);
      try {
        const browser = request.agent(app.url);
        await startPush(browser, 'kim');
        const id = await phone.answer('kim', 'deny');
        const logged = linesSince(from);
        assert.ok(
          logged.some((l) => l.includes(`webhook-accepted authRequestId=${id} reason=authorization-response`)),
          logged.join('\n'),
        );
        assert.equal((await browser.get('/login/status?wait=0')).body.status, 'denied');
        assert.ok(
          linesSince(from).some((l) =>
            new RegExp(`strategy failed user="kim" authRequestId=${id} reason=denied`).test(l),
          ),
        );
      } finally {
        emulator.setServiceCallbackUrl(emulator.service.id, null as unknown as string);
      }
    },
  );
});
