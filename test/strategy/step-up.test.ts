/**
 * Step-up MFA and two instances side by side: a password strategy logs the user in first, then a TruValidate
 * instance named 'mfa' (its own sessionKey) pushes to that same user, whatever the body says; a second instance
 * with the default name and key keeps working in the same app.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request } from 'express';
import session from 'express-session';
import passport from 'passport';
import { Strategy } from 'passport-strategy';
import request from 'supertest';
import type { Emulator } from 'passport-truvalidate/emulator';
import { MemoryStore, TruValidateStrategy } from 'passport-truvalidate';
import { ServiceFactory } from 'passport-truvalidate/sdk';
import { emulatorWithUsers, type Phone } from './helpers/emulator';

interface StepUser {
  username: string;
  mfa: boolean;
}

/** A tiny password strategy (every password is 'pw'), standing in for passport-local. */
class PasswordStrategy extends Strategy {
  name = 'password';
  override authenticate(req: Request): void {
    const body = req.body as { username?: string; password?: string };
    if (body.password === 'pw' && typeof body.username === 'string')
      this.success({ username: body.username, mfa: false } satisfies StepUser);
    else this.fail({ message: 'bad password' }, 401);
  }
}

/** Checks the session's login through authenticate until it is no longer pending (one API poll per second). */
async function checkUntilSettled(browser: ReturnType<typeof request.agent>, path: string): Promise<request.Response> {
  for (let i = 0; i < 50; i++) {
    const res = await browser.post(path).set('Accept', 'application/json').send({});
    if (res.status !== 202) return res;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${path} stayed pending`);
}

describe('step-up (username from req.user), name and sessionKey', () => {
  let emulator: Emulator;
  let phone: Phone;
  let server: http.Server;
  let url = '';
  const stores: MemoryStore[] = [];

  before(async () => {
    ({ emulator, phone } = await emulatorWithUsers(['ivy', 'jon', 'mallory']));
    const client = new ServiceFactory(emulator.service.id, emulator.service.privateKey, {
      url: emulator.url,
    }).makeServiceClient();
    const store = new MemoryStore();
    stores.push(store);
    const mfa = new TruValidateStrategy(
      {
        client,
        store,
        name: 'mfa',
        sessionKey: 'mfa',
        clientLimit: false,
        username: (req) => (req.user as StepUser | undefined)?.username,
      },
      async (username) => ({ username, mfa: true }) satisfies StepUser,
    );
    const plain = new TruValidateStrategy(
      { client, store, clientLimit: false },
      async (username) => ({ username, mfa: true }) satisfies StepUser,
    );
    const auth = new passport.Passport();
    auth.use(new PasswordStrategy());
    auth.use(mfa);
    auth.use(plain);
    auth.serializeUser((user, done) => done(null, user));
    auth.deserializeUser((user: Express.User, done) => done(null, user));
    const app = express();
    app.use(express.json());
    app.use(session({ secret: 'step-up tests', resave: false, saveUninitialized: false }));
    app.use(auth.initialize());
    app.use(auth.session());
    app.use(mfa.sessionGuard());
    app.use(plain.sessionGuard());
    const answer = (name: string) => (req: express.Request, res: express.Response, next: express.NextFunction) =>
      auth.authenticate(
        name,
        (err: unknown, user: StepUser | false, info: Record<string, unknown> | undefined, status?: number) => {
          if (err) return next(err);
          if (!user) return res.status(status ?? 401).json(info ?? {});
          req.logIn(user, { session: true, keepSessionInfo: true }, (e) => (e ? next(e) : res.json({ user })));
        },
      )(req, res, next);
    app.post('/password', answer('password'));
    // keepSessionInfo: the password login stays in the session while the push waits.
    app.post('/mfa', (req, res, next) =>
      auth.authenticate(
        'mfa',
        { keepSessionInfo: true } as passport.AuthenticateOptions,
        (err: unknown, user: StepUser | false, info: Record<string, unknown> | undefined, status?: number) => {
          if (err) return next(err);
          if (!user) return res.status(status ?? 401).json(info ?? {});
          req.logIn(user, (e) => (e ? next(e) : res.json({ user })));
        },
      )(req, res, next),
    );
    app.get('/mfa/status', mfa.status());
    app.post('/login', answer('truvalidate'));
    app.get('/me', (req, res) => {
      const s = req.session as unknown as Record<string, unknown>;
      res.json({ user: req.user ?? null, keys: ['mfa', 'truvalidate'].filter((k) => s[k] !== undefined) });
    });
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of stores) await s.close();
    await emulator.close();
  });

  test(
    'password first, then a push to the same user (a username in the body ' + 'is ignored), completed by authenticate',
    async () => {
      const browser = request.agent(url);
      assert.equal((await browser.post('/password').send({ username: 'ivy', password: 'pw' })).status, 200);
      assert.deepEqual((await browser.get('/me')).body.user, { username: 'ivy', mfa: false });
      const started = await browser.post('/mfa').set('Accept', 'application/json').send({ username: 'mallory' });
      assert.deepEqual([started.status, started.body], [202, { status: 'pending' }]);
      assert.deepEqual(await phone.auths('mallory'), [], 'the body cannot choose the user');
      assert.equal((await browser.get('/me')).body.user.username, 'ivy', 'the password login stayed (keepSessionInfo)');
      const again = await browser.post('/mfa').set('Accept', 'application/json').send({});
      assert.deepEqual(
        [again.status, again.body],
        [202, { status: 'pending' }],
        'a waiting session checks its login: no second push',
      );
      assert.equal((await phone.auths('ivy')).length, 1);
      await phone.answer('ivy', 'approve');
      const done = await checkUntilSettled(browser, '/mfa');
      assert.deepEqual([done.status, done.body], [200, { user: { username: 'ivy', mfa: true } }]);
      const me = await browser.get('/me');
      assert.deepEqual(
        me.body,
        { user: { username: 'ivy', mfa: true }, keys: ['mfa'] },
        'the data is under the mfa session key',
      );
    },
  );

  test('without a password login the step-up has no username: 400, nothing pushed', async () => {
    const res = await request(url).post('/mfa').set('Accept', 'application/json').send({ username: 'jon' });
    assert.deepEqual([res.status, res.body.reason], [400, 'MISSING_USERNAME']);
    assert.deepEqual(await phone.auths('jon'), []);
  });

  test(
    'two instances coexist: the default one (form username, key ' + 'truvalidate) logs in through its status',
    async () => {
      const browser = request.agent(url);
      const started = await browser.post('/login').set('Accept', 'application/json').send({ username: 'jon' });
      assert.equal(started.status, 202);
      await phone.answer('jon', 'approve');
      const done = await checkUntilSettled(browser, '/login');
      assert.deepEqual([done.status, done.body], [200, { user: { username: 'jon', mfa: true } }]);
      assert.deepEqual((await browser.get('/me')).body.keys, ['truvalidate']);
    },
  );
});
