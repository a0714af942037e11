/**
 * The strategy's only contact with Passport's request methods (lib/strategy/passport-hooks.ts), on Passport 0.7 and
 * 0.6: the login through `authenticate` records what logout needs and keeps `returnTo`; the status route honours
 * `keepSessionInfo` as `authenticate` does; `req.logIn` is Passport's own again after the login; `req.logout` ends
 * the TruValidate session, also right after the login (while `sessionStart` may still be in flight).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import passport07 from 'passport';
import type { Emulator } from 'passport-truvalidate/emulator';
import { ServiceFactory } from 'passport-truvalidate/sdk';
import { emulatorWithUsers, type Phone } from './helpers/emulator';
import { buildTestApp, listenTestApp, type TestApp } from './helpers/app';
import type { Browser } from './helpers/flows';

type PassportModule = typeof passport07;

const VERSIONS: Array<{ name: string; passport: PassportModule; requestExt: { logIn: unknown } }> = [
  {
    name: 'Passport 0.7',
    passport: passport07,
    requestExt: require('passport/lib/http/request') as { logIn: unknown },
  },
  {
    name: 'Passport 0.6',
    passport: require('passport-06') as PassportModule,
    requestExt: require('passport-06/lib/http/request') as { logIn: unknown },
  },
];

for (const version of VERSIONS) {
  describe(`Passport hooks on ${version.name}`, () => {
    let emulator: Emulator;
    let phone: Phone;
    let app: TestApp;
    const users = ['hana', 'hugo', 'hedy', 'hal', 'hope'];

    before(async () => {
      ({ emulator, phone } = await emulatorWithUsers(users));
      const auth = new version.passport.Passport();
      // sessionStart made slow (200 ms), so that a logout right after the login overtakes it unless it waits.
      const client = new ServiceFactory(emulator.service.id, emulator.service.privateKey, {
        url: emulator.url,
      }).makeServiceClient();
      const sessionStart = client.sessionStart.bind(client);
      client.sessionStart = async (user, id) => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        return sessionStart(user, id);
      };
      const built = buildTestApp({ apiUrl: emulator.url, service: emulator.service, passport: auth, client });
      // A value of the waiting session, to see what the regenerated session keeps.
      built.app.post('/note', (req, res) => {
        (req.session as unknown as Record<string, unknown>)['note'] = 'kept';
        res.status(204).end();
      });
      built.app.get('/note', (req, res) => {
        res.json({ note: (req.session as unknown as Record<string, unknown>)['note'] ?? null });
      });
      built.app.get('/login/status-keep', built.strategy.status({ timeoutMs: 5000, keepSessionInfo: true }));
      // A custom-callback login that reports, once logged in, whether req.logIn is Passport's own method again.
      built.app.post('/login-own', (req, res, next) => {
        auth.authenticate('truvalidate', (err: unknown, user: Express.User | false) => {
          if (err || !user) return next(err ?? new Error('no user'));
          req.logIn(user, (loginErr) => {
            if (loginErr) return next(loginErr);
            const own = (req as unknown as { logIn: unknown; login: unknown }).logIn === version.requestExt.logIn;
            res.json({ own, same: req.login === req.logIn });
          });
        })(req, res, next);
      });
      app = await listenTestApp(built, {});
      emulator.setServiceCallbackUrl(emulator.service.id, app.webhookUrl);
    });

    after(async () => {
      await app.close();
      await emulator.close();
    });

    async function approvedPush(browser: Browser, username: string): Promise<void> {
      const started = await browser.post('/login').set('Accept', 'application/json').send({ username });
      assert.equal(started.status, 202);
      const answer = await phone.respond((await phone.onlyAuth(username)).authRequestId, 'approve');
      assert.equal(answer.webhook?.status, 204);
    }

    test('authenticate: the login records what logout needs and the redirect goes to returnTo', async () => {
      const browser = request.agent(app.url);
      assert.equal((await browser.get('/protected')).status, 401); // sets returnTo
      const started = await browser.post('/login-redirect').type('form').send({ username: 'hana' });
      assert.equal(started.status, 303);
      await phone.respond((await phone.onlyAuth('hana')).authRequestId, 'approve');
      const done = await browser.post('/login-redirect').type('form').send({});
      assert.equal(done.status, 302);
      assert.equal(done.headers['location'], '/protected');
      const me = await browser.get('/me');
      assert.equal(me.status, 200);
      assert.equal(me.body.login.login.username, 'hana');
    });

    test('the req.logIn wrapper is used once: after the login, req.logIn and req.login are Passport own again', async () => {
      const browser = request.agent(app.url);
      await approvedPush(browser, 'hugo');
      // No username: authenticate completes the waiting login; the route's own req.logIn call runs the wrapper.
      const done = await browser.post('/login-own').set('Accept', 'application/json').send({});
      assert.equal(done.status, 200);
      assert.deepEqual(done.body, { own: true, same: true });
      assert.equal((await browser.get('/me')).body.login.login.username, 'hugo');
    });

    test('status route without keepSessionInfo: the new session drops the waiting session values', async () => {
      const browser = request.agent(app.url);
      assert.equal((await browser.post('/note')).status, 204);
      await approvedPush(browser, 'hedy');
      const status = await browser.get('/login/status').set('Accept', 'application/json');
      assert.equal(status.body.status, 'authorized');
      assert.deepEqual((await browser.get('/note')).body, { note: null });
    });

    test('status route with keepSessionInfo: true keeps them, as authenticate does', async () => {
      const browser = request.agent(app.url);
      await approvedPush(browser, 'hal');
      assert.equal((await browser.post('/note')).status, 204);
      const status = await browser.get('/login/status-keep').set('Accept', 'application/json');
      assert.equal(status.body.status, 'authorized');
      assert.deepEqual((await browser.get('/note')).body, { note: 'kept' });
      assert.equal((await browser.get('/me')).body.user.username, 'hal');
    });

    test('req.logout right after the login ends the TruValidate session: none is left on the device', async () => {
      const browser = request.agent(app.url);
      await approvedPush(browser, 'hope');
      const status = await browser.get('/login/status').set('Accept', 'application/json');
      assert.equal(status.body.status, 'authorized');
      // No wait: the logout follows the answer at once, while the (slow) sessionStart is still in flight.
      assert.equal((await browser.post('/logout')).status, 204);
      assert.equal((await browser.get('/me')).status, 401);
      // Settled: nothing lists a session for the user (give a late sessionStart every chance to show up).
      const sessions = await phone.sessionListed('hope', 500);
      assert.deepEqual(sessions, []);
    });
  });
}
