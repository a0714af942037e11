import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import session from 'express-session';
import { MemoryStore } from 'passport-truvalidate';
import type { Emulator } from 'passport-truvalidate/emulator';
import { DirectoryFactory } from 'passport-truvalidate/sdk';
import { emulatorWithUsers, type Phone } from './helpers/emulator';
import { startTestApp, type TestApp, type TestUser } from './helpers/app';

/** A URL where nothing listens (a server bound then closed). */
async function deadUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('TOTP login, verify forms, fail closed', () => {
  let emulator: Emulator;
  let phone: Phone;
  const apps: TestApp[] = [];

  async function app(
    options: Omit<Parameters<typeof startTestApp>[0], 'apiUrl' | 'service'> = {},
    apiUrl?: string,
  ): Promise<TestApp> {
    const started = await startTestApp({ apiUrl: apiUrl ?? emulator.url, service: emulator.service, ...options });
    apps.push(started);
    return started;
  }

  async function wrongCode(user: string): Promise<string> {
    return (await phone.totp(user)) === '000000' ? '111111' : '000000';
  }

  before(async () => {
    ({ emulator, phone } = await emulatorWithUsers(['otto', 'pia']));
    const directory = new DirectoryFactory(emulator.directory.id, emulator.directory.privateKey, {
      url: emulator.url,
    }).makeDirectoryClient();
    await directory.generateUserTotp('otto');
  });

  after(async () => {
    for (const a of apps) await a.close();
    await emulator.close();
  });

  test('TOTP: a valid code logs in without a push and starts the TruValidate session; a wrong one fails', async () => {
    const a = await app();
    const browser = request.agent(a.url);
    const wrong = await browser.post('/login').send({ username: 'otto', otp: await wrongCode('otto') });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.reason, 'INVALID_OTP');
    assert.equal((await browser.get('/me')).status, 401);

    const ok = await browser.post('/login').send({ username: 'otto', otp: await phone.totp('otto') });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.user.method, 'totp');
    assert.deepEqual(await phone.auths('otto'), [], 'no push was sent');
    const me = await browser.get('/me');
    assert.equal(me.body.user.username, 'otto');
    assert.equal((await phone.sessionListed('otto')).length, 1);
  });

  test('TOTP: a user without TOTP fails exactly like a wrong code', async () => {
    const a = await app();
    const res = await request(a.url).post('/login').send({ username: 'pia', otp: '123456' });
    assert.equal(res.status, 401);
    assert.equal(res.body.reason, 'INVALID_OTP');
    const unknown = await request(a.url).post('/login').send({ username: 'nobody', otp: '123456' });
    assert.deepEqual({ status: unknown.status, body: unknown.body }, { status: res.status, body: res.body });
  });

  test('TOTP attempts have their own limit (totpLimit), apart from the push limit', async () => {
    const a = await app({
      strategyOptions: { totpLimit: { max: 1, windowMs: 60_000 }, pushLimit: { max: 10, windowMs: 60_000 } },
    });
    await request(a.url)
      .post('/login')
      .send({ username: 'otto', otp: await wrongCode('otto') });
    const blocked = await request(a.url)
      .post('/login')
      .send({ username: 'otto', otp: await phone.totp('otto') });
    assert.equal(blocked.status, 401, 'over the TOTP limit even the right code fails');
    const b = await app({ strategyOptions: { pushLimit: { max: 1, windowMs: 60_000 } } });
    await request(b.url)
      .post('/login')
      .send({ username: 'otto', otp: await wrongCode('otto') });
    const allowed = await request(b.url)
      .post('/login')
      .send({ username: 'otto', otp: await phone.totp('otto') });
    assert.equal(
      allowed.status,
      200,
      'the push limit does not count TOTP attempts (default totpLimit: 5 in 5 minutes)',
    );
  });

  test('a callback-style verify', async () => {
    const a = await app({
      verify: (username, profile, done) => {
        setImmediate(() =>
          done(null, { username, method: profile.method, serviceUserHash: null, via: 'callback' } satisfies TestUser),
        );
      },
    });
    const res = await request(a.url)
      .post('/login')
      .send({ username: 'otto', otp: await phone.totp('otto') });
    assert.equal(res.status, 200);
    assert.equal(res.body.user.via, 'callback');
  });

  test('a promise verify that refuses the user: a failure, no login', async () => {
    const a = await app({ verify: async () => false });
    const browser = request.agent(a.url);
    const res = await browser.post('/login').send({ username: 'otto', otp: await phone.totp('otto') });
    assert.equal(res.status, 403);
    assert.equal(res.body.reason, 'VERIFY_REJECTED');
    assert.equal((await browser.get('/me')).status, 401);
  });

  test('a verify that throws gives an error, no login', async () => {
    const a = await app({
      verify: async () => {
        throw new Error('database down');
      },
    });
    const res = await request(a.url)
      .post('/login')
      .send({ username: 'otto', otp: await phone.totp('otto') });
    assert.equal(res.status, 500);
    assert.equal(res.body.error, 'database down');
  });

  test('passReqToCallback: verify receives the request first (callback and promise forms)', async () => {
    const withCallback = await app({
      verifyWithRequest: (req, username, profile, done) =>
        done(null, {
          username,
          method: profile.method,
          serviceUserHash: null,
          via: req.get('x-client') ?? 'none',
        } satisfies TestUser),
    });
    const res = await request(withCallback.url)
      .post('/login')
      .set('x-client', 'cb')
      .send({ username: 'otto', otp: await phone.totp('otto') });
    assert.equal(res.body.user.via, 'cb');
    const withPromise = await app({
      verifyWithRequest: async (req, username, profile) =>
        ({
          username,
          method: profile.method,
          serviceUserHash: null,
          via: req.get('x-client') ?? 'none',
        }) satisfies TestUser,
    });
    const res2 = await request(withPromise.url)
      .post('/login')
      .set('x-client', 'promise')
      .send({ username: 'otto', otp: await phone.totp('otto') });
    assert.equal(res2.body.user.via, 'promise');
  });

  test('the API unreachable: starting a login fails closed with a clear error', async () => {
    const down = await app({}, await deadUrl());
    const browser = request.agent(down.url);
    const res = await browser.post('/login').set('Accept', 'application/json').send({ username: 'otto' });
    assert.equal(res.status, 502);
    assert.equal(res.body.code, 'ERR_TRUVALIDATE_API_UNAVAILABLE');
    assert.match(res.body.error, /no login was granted/);
    const totp = await browser.post('/login').send({ username: 'otto', otp: '123456' });
    assert.equal(totp.status, 502);
    assert.equal((await browser.get('/me')).status, 401);
  });

  test('the API unreachable while polling: the status fails closed, no login', async () => {
    emulator.setServiceCallbackUrl(emulator.service.id, null);
    const store = new MemoryStore();
    const sessionStore = new session.MemoryStore();
    try {
      const live = await app({ store, sessionStore });
      const down = await app({ store, sessionStore }, await deadUrl());
      const started = await request(live.url)
        .post('/login')
        .set('Accept', 'application/json')
        .send({ username: 'pia' });
      assert.equal(started.status, 202);
      const cookie = (started.headers['set-cookie'] as unknown as string[])[0]?.split(';')[0] as string;
      await phone.answer('pia', 'approve');
      const polled = await request(down.url).get('/login/status?wait=0').set('Cookie', cookie);
      assert.equal(polled.status, 502);
      assert.equal(polled.body.code, 'ERR_TRUVALIDATE_API_UNAVAILABLE');
      assert.equal((await request(down.url).get('/me').set('Cookie', cookie)).status, 401);
      const recovered = await request(live.url).get('/login/status').set('Cookie', cookie);
      assert.equal(recovered.body.status, 'authorized', 'the login is still there once the API is back');
    } finally {
      await store.close();
    }
  });
});
