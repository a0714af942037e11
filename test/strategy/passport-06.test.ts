/**
 * The strategy with Passport 0.6 (installed as `passport-06`, the npm alias of passport@0.6.0), whose `req.logIn`
 * regenerates the session like 0.7's: an approved login (webhook path) changes the session id and keeps `returnTo`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type passport from 'passport';
import type { Emulator } from 'passport-truvalidate/emulator';
import { sessionCookie } from './helpers/cookies';
import { emulatorWithUsers, type Phone } from './helpers/emulator';
import { startTestApp, type TestApp } from './helpers/app';

const passport06 = require('passport-06') as typeof passport;
const passport06Version = (require('passport-06/package.json') as { version: string }).version;

describe('Passport 0.6', () => {
  let emulator: Emulator;
  let phone: Phone;
  let app: TestApp;

  before(async () => {
    ({ emulator, phone } = await emulatorWithUsers(['olga', 'oscar']));
    app = await startTestApp({ apiUrl: emulator.url, service: emulator.service, passport: new passport06.Passport() });
    emulator.setServiceCallbackUrl(emulator.service.id, app.webhookUrl);
  });

  after(async () => {
    await app.close();
    await emulator.close();
  });

  test('the alias is Passport 0.6.0', () => {
    assert.equal(passport06Version, '0.6.0');
  });

  test(
    'form flow, approved through the webhook: the session id changes and ' + 'the redirect goes to returnTo',
    async () => {
      const browser = request.agent(app.url);
      const protectedPage = await browser.get('/protected');
      assert.equal(protectedPage.status, 401);
      const before = sessionCookie(protectedPage);
      assert.ok(before, 'setting returnTo creates the session');

      const started = await browser
        .post('/login-redirect')
        .set('Accept', 'text/html')
        .type('form')
        .send({ username: 'olga' });
      assert.equal(started.status, 303);
      assert.equal(started.headers['location'], '/wait');
      const answer = await phone.respond((await phone.onlyAuth('olga')).authRequestId, 'approve');
      assert.equal(answer.webhook?.status, 204, 'the webhook delivered the approval');

      const done = await browser.post('/login-redirect').set('Accept', 'text/html').type('form').send({});
      assert.equal(done.status, 302);
      assert.equal(done.headers['location'], '/protected', 'returnTo survived the regeneration');
      const afterLogin = sessionCookie(done);
      assert.ok(afterLogin, 'the login sets a new session cookie');
      assert.notEqual(afterLogin, before, 'the session id changes at login');

      const me = await browser.get('/me');
      assert.equal(me.status, 200);
      assert.equal(me.body.user.username, 'olga');
      assert.equal(me.body.login.login.username, 'olga');
      assert.equal(me.body.login.pending, undefined);
    },
  );

  test(
    'status route, approved through the webhook: the session id changes and ' + 'the answer carries returnTo',
    async () => {
      const browser = request.agent(app.url);
      const before = sessionCookie(await browser.get('/protected'));
      assert.ok(before);
      const started = await browser.post('/login').set('Accept', 'application/json').send({ username: 'oscar' });
      assert.equal(started.status, 202);
      const answer = await phone.respond((await phone.onlyAuth('oscar')).authRequestId, 'approve');
      assert.equal(answer.webhook?.status, 204);

      const status = await browser.get('/login/status');
      assert.equal(status.status, 200);
      assert.deepEqual(status.body, { status: 'authorized', returnTo: '/protected' });
      const afterLogin = sessionCookie(status);
      assert.ok(afterLogin);
      assert.notEqual(afterLogin, before, 'the session id changes at login');
      assert.equal((await browser.get('/me')).body.user.username, 'oscar');
    },
  );
});
