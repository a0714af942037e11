/**
 * Login CSRF: a page on another site makes the visitor's browser start or complete a login (the attacker's
 * username, approved on the attacker's phone). The strategy refuses cross-site browser requests, with the headers a
 * real browser sends, through Passport's failure path (403), with nothing pushed and nothing stored.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import request from 'supertest';
import type { Emulator } from 'passport-truvalidate/emulator';
import { MemoryStore, TruValidateStrategyError, crossSiteGuard } from 'passport-truvalidate';
import { emulatorWithUsers, type Phone } from './helpers/emulator';
import { startPush } from './helpers/flows';
import { buildTestApp, listenTestApp, type TestApp, type TestAppOptions } from './helpers/app';

/** The headers Chromium sends when a page on evil.example auto-submits a form to the app. */
const CROSS_SITE_FORM = {
  Origin: 'https://evil.example',
  'Sec-Fetch-Site': 'cross-site',
  'Sec-Fetch-Mode': 'navigate',
  'Sec-Fetch-Dest': 'document',
};

describe('login CSRF: cross-site browser requests never start nor complete a login', () => {
  let emulator: Emulator;
  let phone: Phone;
  const apps: TestApp[] = [];
  const stores: MemoryStore[] = [];

  async function app(
    options: Partial<Omit<TestAppOptions, 'apiUrl' | 'service'>> = {},
    trustProxy?: string,
  ): Promise<{ a: TestApp; store: MemoryStore }> {
    const store = new MemoryStore();
    stores.push(store);
    const built = buildTestApp({ apiUrl: emulator.url, service: emulator.service, store, ...options });
    if (trustProxy !== undefined) built.app.set('trust proxy', trustProxy);
    const a = await listenTestApp(built, { store });
    apps.push(a);
    return { a, store };
  }

  function emptyStore(store: MemoryStore): void {
    assert.deepEqual(store.sizes, { pending: 0, results: 0, seen: 0, logouts: 0, counters: 0 }, 'nothing stored');
  }

  before(async () => {
    ({ emulator, phone } = await emulatorWithUsers(['mallory', 'victor', 'tess', 'sam', 'proxy-user', 'guarded']));
  });

  after(async () => {
    for (const a of apps) await a.close();
    for (const s of stores) await s.close();
    await emulator.close();
  });

  test('a cross-site form post to POST /login: 403 cross_site, no push, nothing stored, no session', async () => {
    const { a, store } = await app();
    const res = await request(a.url).post('/login').set(CROSS_SITE_FORM).type('form').send({ username: 'mallory' });
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, {
      message: 'Cross-site request refused: this request must come from a page of this site.',
      status: 'refused',
      reason: 'cross_site',
    });
    assert.equal(res.headers['set-cookie'], undefined, 'no session was made');
    assert.deepEqual(await phone.auths('mallory'), [], 'nothing pushed');
    emptyStore(store);
  });

  test(
    'each browser signal alone refuses: Sec-Fetch-Site cross-site, ' + 'same-site, a foreign Origin, Origin null',
    async () => {
      const { a, store } = await app();
      const cases: Record<string, string>[] = [
        { 'Sec-Fetch-Site': 'cross-site' },
        { 'Sec-Fetch-Site': 'same-site', Origin: a.url },
        { Origin: 'https://evil.example' },
        { Origin: 'null' },
        { Origin: a.url.replace('127.0.0.1', 'localhost') },
      ];
      for (const headers of cases) {
        const res = await request(a.url)
          .post('/login')
          .set(headers)
          .set('Accept', 'application/json')
          .send({ username: 'mallory' });
        assert.deepEqual([res.status, res.body.reason], [403, 'cross_site'], JSON.stringify(headers));
      }
      const totp = await request(a.url)
        .post('/login')
        .set({ 'Sec-Fetch-Site': 'cross-site' })
        .send({ username: 'mallory', otp: '123456' });
      assert.deepEqual([totp.status, totp.body.reason], [403, 'cross_site'], 'a TOTP login is refused alike');
      assert.deepEqual(await phone.auths('mallory'), []);
      emptyStore(store);
    },
  );

  test('same-origin browser requests and requests without either header keep working', async () => {
    const { a } = await app();
    const sameOrigin = await request
      .agent(a.url)
      .post('/login')
      .set({ Origin: a.url, 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'cors' })
      .set('Accept', 'application/json')
      .send({ username: 'tess' });
    assert.deepEqual([sameOrigin.status, sameOrigin.body], [202, { status: 'pending' }]);
    await phone.answer('tess', 'deny');
    const typed = await request
      .agent(a.url)
      .post('/login')
      .set({ 'Sec-Fetch-Site': 'none' })
      .set('Accept', 'application/json')
      .send({ username: 'tess' });
    assert.equal(typed.status, 202, 'Sec-Fetch-Site: none (user-initiated) passes');
    await phone.answer('tess', 'deny');
    await startPush(request.agent(a.url), 'tess'); // curl-like: neither header
    await phone.answer('tess', 'deny');
  });

  test('completion: a cross-site request neither completes (authenticate, status) nor consumes a login', async () => {
    const { a } = await app();
    const browser = request.agent(a.url);
    await startPush(browser, 'victor');
    await phone.answer('victor', 'approve');
    const viaAuthenticate = await browser
      .post('/login')
      .set(CROSS_SITE_FORM)
      .set('Accept', 'application/json')
      .send({});
    assert.deepEqual([viaAuthenticate.status, viaAuthenticate.body.reason], [403, 'cross_site']);
    const viaStatus = await browser
      .get('/login/status?wait=0')
      .set({ 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'navigate' });
    assert.equal(viaStatus.status, 403);
    assert.deepEqual(viaStatus.body, {
      status: 'failed',
      reason: 'cross_site',
      message: 'Cross-site request refused: this request must come from a page of this site.',
    });
    assert.equal((await browser.get('/me')).status, 401, 'not logged in');
    const own = await browser.get('/login/status?wait=0').set({ 'Sec-Fetch-Site': 'same-origin' });
    assert.deepEqual([own.status, own.body.status], [200, 'authorized'], 'the login still completes from the own site');
  });

  test('allowedOrigins and allowSameSite: a listed sibling origin is accepted only with allowSameSite', async () => {
    const sibling = 'https://login.app.example';
    const strict = (await app({ strategyOptions: { allowedOrigins: [sibling] } })).a;
    const res = await request
      .agent(strict.url)
      .post('/login')
      .set({ Origin: sibling, 'Sec-Fetch-Site': 'same-site' })
      .set('Accept', 'application/json')
      .send({ username: 'sam' });
    assert.deepEqual([res.status, res.body.reason], [403, 'cross_site'], 'same-site is refused by default');
    const own = await request
      .agent(strict.url)
      .post('/login')
      .set({ Origin: strict.url })
      .set('Accept', 'application/json')
      .send({ username: 'sam' });
    assert.equal(own.status, 403, 'the list replaces the default own origin');
    const relaxed = (await app({ strategyOptions: { allowedOrigins: [`${sibling}/`], allowSameSite: true } })).a;
    const ok = await request
      .agent(relaxed.url)
      .post('/login')
      .set({ Origin: sibling, 'Sec-Fetch-Site': 'same-site' })
      .set('Accept', 'application/json')
      .send({ username: 'sam' });
    assert.deepEqual([ok.status, ok.body], [202, { status: 'pending' }]);
    const other = await request
      .agent(relaxed.url)
      .post('/login')
      .set({ Origin: 'https://evil.app.example', 'Sec-Fetch-Site': 'same-site' })
      .send({ username: 'sam' });
    assert.equal(other.status, 403, 'an unlisted sibling is refused');
    await phone.answer('sam', 'deny');
    for (const bad of [['app.example'], ['https://app.example/login'], [], 'https://app.example']) {
      assert.throws(
        () =>
          buildTestApp({
            apiUrl: emulator.url,
            service: emulator.service,
            strategyOptions: { allowedOrigins: bad as string[] },
          }),
        (err: unknown) => {
          return (
            err instanceof TruValidateStrategyError &&
            err.code === 'ERR_TRUVALIDATE_INVALID_OPTION' &&
            /allowedOrigins/.test(err.message)
          );
        },
      );
    }
  });

  test('behind a TLS proxy: the own origin honours trust proxy (X-Forwarded-Proto/Host), and only then', async () => {
    const forwarded = {
      'X-Forwarded-Proto': 'https',
      'X-Forwarded-Host': 'app.example',
      Origin: 'https://app.example',
      'Sec-Fetch-Site': 'same-origin',
    };
    const trusting = (await app({}, 'loopback')).a;
    const ok = await request
      .agent(trusting.url)
      .post('/login')
      .set(forwarded)
      .set('Accept', 'application/json')
      .send({ username: 'proxy-user' });
    assert.deepEqual([ok.status, ok.body], [202, { status: 'pending' }]);
    await phone.answer('proxy-user', 'deny');
    const untrusting = (await app()).a;
    const refused = await request
      .agent(untrusting.url)
      .post('/login')
      .set(forwarded)
      .set('Accept', 'application/json')
      .send({ username: 'proxy-user' });
    assert.deepEqual(
      [refused.status, refused.body.reason],
      [403, 'cross_site'],
      'forwarded headers from an untrusted peer are ignored',
    );
    assert.deepEqual(await phone.auths('proxy-user'), []);
  });

  test("with failureRedirect, Passport's failure path redirects, and nothing is pushed", async () => {
    const store = new MemoryStore();
    stores.push(store);
    const built = buildTestApp({ apiUrl: emulator.url, service: emulator.service, store });
    const a = await listenTestApp(built, { store });
    apps.push(a);
    // `/login-redirect` has failureRedirect: Passport's failure path redirects there, and nothing is pushed.
    const res = await request(a.url)
      .post('/login-redirect')
      .set(CROSS_SITE_FORM)
      .type('form')
      .send({ username: 'mallory' });
    assert.deepEqual([res.status, res.headers['location']], [302, '/login-failed']);
    assert.deepEqual(await phone.auths('mallory'), []);
    emptyStore(store);
  });

  test(
    'crossSiteGuard() and strategy.crossSiteGuard(): 403 on cross-site ' +
      'writes (JSON or text), GET and same-origin pass',
    async () => {
      const { a } = await app();
      for (const guard of [crossSiteGuard(), a.strategy.crossSiteGuard()]) {
        const guarded = express();
        guarded.use(guard);
        guarded.get('/settings', (_req, res) => res.send('page'));
        guarded.post('/settings', (_req, res) => res.send('changed'));
        const json = await request(guarded).post('/settings').set(CROSS_SITE_FORM).set('Accept', 'application/json');
        assert.deepEqual(
          [json.status, json.body],
          [
            403,
            {
              error: 'cross_site',
              message: 'Cross-site request refused: this request must come from a page of this site.',
            },
          ],
        );
        assert.equal(json.headers['cache-control'], 'no-store');
        const text = await request(guarded).post('/settings').set(CROSS_SITE_FORM).set('Accept', 'text/html');
        assert.deepEqual(
          [text.status, text.text, text.type],
          [403, 'Cross-site request refused: this request must come from a page of this site.', 'text/plain'],
        );
        assert.equal(
          (await request(guarded).get('/settings').set(CROSS_SITE_FORM)).status,
          200,
          'a cross-site GET navigation passes',
        );
        const own = await request(guarded).post('/settings').set({ 'Sec-Fetch-Site': 'same-origin' });
        assert.deepEqual([own.status, own.text], [200, 'changed']);
        assert.equal((await request(guarded).post('/settings')).status, 200, 'no browser header: passes');
      }
      assert.throws(() => crossSiteGuard({ allowedOrigins: ['not an origin'] }), /allowedOrigins/);
    },
  );
});
