/**
 * The example app's browser-facing answers, over HTTP against the real emulator: security headers (CSP without
 * inline script, nosniff, no framing, Referrer-Policy), `Cache-Control: no-store` on account data, the session
 * cookie's flags (Secure when APP_URL is https), the bounded session store, pages for browsers (404, login redirect
 * of `/me` with returnTo, 5xx page, favicon) while JSON clients keep JSON.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import session from 'express-session';
import request from 'supertest';
import { createApp } from '../../example-app/app';
import { boundedSessionStore, createStores } from '../../example-app/stores';
import { startHarness, waitFor, type Harness } from './harness';

const JSON_ACCEPT = 'application/json';
/** What Chromium sends for a top-level navigation. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

let h: Harness;

before(async () => {
  h = await startHarness();
  for (const name of ['hard-pages', 'hard-js', 'hard-cache', 'hard-cookie', 'hard-https', 'hard-me'])
    await h.emulator.linkUser(name);
});

after(async () => {
  await h.close();
});

/** A supertest agent logged in as `user` through an approved push. */
async function loggedIn(user: string): Promise<ReturnType<typeof request.agent>> {
  const browser = request.agent(h.appUrl);
  await browser.post('/login').set('Accept', JSON_ACCEPT).send({ username: user }).expect(202);
  const auth = await waitFor(
    `a push for ${user}`,
    async () => (await h.control<{ authRequestId: string }[]>('GET', `/auths?user=${user}`))[0],
  );
  await h.control('POST', `/auths/${auth.authRequestId}/respond`, { action: 'approve' });
  await browser
    .get('/login/status')
    .set('Accept', JSON_ACCEPT)
    .expect(200, /authorized/);
  return browser;
}

describe('security headers', () => {
  test(
    'every page: CSP without inline script, nosniff, framing refused, ' +
      'referrer only to the site itself; no inline script in the HTML',
    async () => {
      const browser = await loggedIn('hard-pages');
      for (const path of ['/', '/login', '/signup', '/login/totp', '/devices', '/totp', '/account', '/nowhere']) {
        const res = await browser.get(path).set('Accept', BROWSER_ACCEPT);
        const csp = res.headers['content-security-policy'] ?? '';
        assert.match(csp, /(^|;)script-src 'self'(;|$)/, `${path}: ${csp}`);
        assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, path);
        assert.match(csp, /frame-ancestors 'none'/, path);
        assert.match(csp, /default-src 'self'/, path);
        assert.doesNotMatch(csp, /upgrade-insecure-requests/, `${path}: not on plain http`);
        assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
        assert.equal(res.headers['x-frame-options'], 'DENY', path);
        assert.equal(res.headers['referrer-policy'], 'same-origin', path);
        assert.equal(res.headers['strict-transport-security'], undefined, `${path}: no HSTS on http`);
        assert.equal(res.headers['x-powered-by'], undefined, path);
        const inline = [...res.text.matchAll(/<script(?![^>]*\bsrc=)(?![^>]*type="application\/json")[^>]*>/g)];
        assert.deepEqual(
          inline.map((m) => m[0]),
          [],
          `${path}: no inline script`,
        );
      }
    },
  );

  test('the waiting page and link page load their scripts from /js/ (served as JavaScript, cacheable)', async () => {
    for (const name of ['waiting.js', 'link.js']) {
      const res = await request(h.appUrl).get(`/js/${name}`).expect(200);
      assert.match(res.headers['content-type'] ?? '', /^(application|text)\/javascript/);
      assert.equal(res.headers['cache-control'], 'public, max-age=300');
      assert.match(res.text, /'use strict'/);
    }
    await request(h.appUrl).get('/js/nothing.js').set('Accept', JSON_ACCEPT).expect(404);
    const wait = await request.agent(h.appUrl).post('/login').type('form').send('username=hard-js').redirects(1);
    assert.match(wait.text, /<script src="\/js\/waiting\.js"><\/script>/);
  });

  test('Cache-Control: no-store on pages and JSON showing account data', async () => {
    const browser = await loggedIn('hard-cache');
    for (const [path, accept] of [
      ['/me', JSON_ACCEPT],
      ['/', JSON_ACCEPT],
      ['/', BROWSER_ACCEPT],
      ['/devices', JSON_ACCEPT],
      ['/devices', BROWSER_ACCEPT],
      ['/totp', BROWSER_ACCEPT],
      ['/account', BROWSER_ACCEPT],
    ] as const) {
      const res = await browser.get(path).set('Accept', accept).expect(200);
      assert.equal(res.headers['cache-control'], 'no-store', `${path} (${accept})`);
    }
  });

  test('the session cookie is HttpOnly and SameSite=Lax; not Secure on http', async () => {
    const res = await request(h.appUrl)
      .post('/login')
      .set('Accept', JSON_ACCEPT)
      .send({ username: 'hard-cookie' })
      .expect(202);
    const cookie = (res.headers['set-cookie'] as unknown as string[] | undefined)?.find((c) =>
      c.startsWith('example.sid='),
    );
    assert.ok(cookie, 'a session cookie');
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Lax/);
    assert.doesNotMatch(cookie, /; Secure/);
  });

  test(
    'APP_URL https (behind a TLS proxy, trust proxy 1): the cookie is ' +
      'Secure, HSTS and upgrade-insecure-requests are on',
    async () => {
      const app = createApp({
        apiUrl: h.emulatorUrl,
        service: h.emulator.service,
        directory: h.emulator.directory,
        sessionSecret: 'test-session-secret-0123456789abcdef',
        appUrl: 'https://app.example.test',
        trustProxy: 1,
      });
      const res = await request(app)
        .post('/login')
        .set('Accept', JSON_ACCEPT)
        .set('X-Forwarded-Proto', 'https')
        .send({ username: 'hard-https' })
        .expect(202);
      const cookie = (res.headers['set-cookie'] as unknown as string[] | undefined)?.find((c) =>
        c.startsWith('example.sid='),
      );
      assert.ok(cookie, 'a session cookie');
      assert.match(cookie, /; Secure/);
      assert.match(res.headers['strict-transport-security'] ?? '', /max-age=\d+/);
      const page = await request(app).get('/').set('X-Forwarded-Proto', 'https').expect(200);
      assert.match(page.headers['content-security-policy'] ?? '', /upgrade-insecure-requests/);
    },
  );
});

describe('bounded session store', () => {
  test("without Redis the session store is memorystore with a bound, never express-session's MemoryStore", async () => {
    const stores = await createStores({});
    try {
      assert.ok(!(stores.sessionStore instanceof session.MemoryStore), "not express-session's unbounded MemoryStore");
      assert.equal((stores.sessionStore as unknown as { options: { max: number } }).options.max, 10_000);
    } finally {
      await stores.close();
    }
  });

  test('beyond its bound the least recently used session goes', async () => {
    const store = boundedSessionStore(2);
    const cookie = { originalMaxAge: 60_000, expires: new Date(Date.now() + 60_000), httpOnly: true, path: '/' };
    const set = (sid: string) =>
      new Promise<void>((resolve, reject) =>
        store.set(sid, { cookie } as unknown as session.SessionData, (err) => (err ? reject(err) : resolve())),
      );
    const get = (sid: string) =>
      new Promise<unknown>((resolve, reject) =>
        store.get(sid, (err, data) => (err ? reject(err) : resolve(data ?? null))),
      );
    await set('a');
    await set('b');
    await set('c');
    assert.equal(await get('a'), null);
    assert.notEqual(await get('b'), null);
    assert.notEqual(await get('c'), null);
    (store as unknown as { stopInterval(): void }).stopInterval();
  });
});

describe('pages for browsers, JSON for JSON clients', () => {
  test('an unknown path: an HTML 404 page for a browser, JSON 404 otherwise', async () => {
    const page = await request(h.appUrl).get('/no/such/page').set('Accept', BROWSER_ACCEPT).expect(404);
    assert.match(page.headers['content-type'] ?? '', /text\/html/);
    assert.match(page.text, /<h1>Not found<\/h1>/);
    assert.match(page.text, /There is no page at \/no\/such\/page\./);
    const json = await request(h.appUrl).get('/no/such/page').set('Accept', JSON_ACCEPT).expect(404);
    assert.deepEqual(json.body, { error: 'There is no page at /no/such/page.', code: 'ERR_EXAMPLE_NOT_FOUND' });
    const curl = await request(h.appUrl).get('/no/such/page').expect(404);
    assert.equal(curl.body.code, 'ERR_EXAMPLE_NOT_FOUND', 'no Accept (curl): JSON');
  });

  test(
    '/me without a session: a browser is sent to the login page and comes ' + 'back to /me; JSON clients get 401',
    async () => {
      const browser = request.agent(h.appUrl);
      await browser.get('/me').set('Accept', BROWSER_ACCEPT).expect(303).expect('Location', '/login');
      const login = await browser.get('/login').set('Accept', BROWSER_ACCEPT).expect(200);
      assert.match(login.text, /data-testid="notice">Log in first\.</);
      await browser.post('/login').set('Accept', JSON_ACCEPT).send({ username: 'hard-me' }).expect(202);
      const auth = await waitFor(
        'the push',
        async () => (await h.control<{ authRequestId: string }[]>('GET', '/auths?user=hard-me'))[0],
      );
      await h.control('POST', `/auths/${auth.authRequestId}/respond`, { action: 'approve' });
      const status = await browser.get('/login/status').set('Accept', JSON_ACCEPT).expect(200);
      assert.equal(status.body.returnTo, '/me');
      await browser
        .get('/me')
        .set('Accept', BROWSER_ACCEPT)
        .expect(200, /"username":"hard-me"/);

      const json = await request(h.appUrl).get('/me').set('Accept', JSON_ACCEPT).expect(401);
      assert.equal(json.body.code, 'ERR_EXAMPLE_NOT_LOGGED_IN');
      await request(h.appUrl).get('/me').expect(401);
    },
  );

  test('a 5xx (TruValidate unreachable): an HTML error page for a browser, JSON for JSON clients', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const app = createApp({
      apiUrl: `http://127.0.0.1:${port}`,
      service: h.emulator.service,
      directory: h.emulator.directory,
      sessionSecret: 'test-session-secret-0123456789abcdef',
      log: () => undefined,
    });
    const page = await request(app)
      .post('/login')
      .set('Accept', BROWSER_ACCEPT)
      .type('form')
      .send('username=hard-user')
      .expect(502);
    assert.match(page.headers['content-type'] ?? '', /text\/html/);
    assert.match(page.text, /<h1>Something went wrong<\/h1>/);
    assert.match(page.text, /TruValidate cannot be reached right now; no login was granted\./);
    assert.doesNotMatch(page.text, new RegExp(String(port)), 'no host or port in the page');
    const json = await request(app)
      .post('/login')
      .set('Accept', JSON_ACCEPT)
      .send({ username: 'hard-user' })
      .expect(502);
    assert.equal(json.body.code, 'ERR_TRUVALIDATE_API_UNAVAILABLE');
  });

  test('a favicon: /favicon.ico and /favicon.svg are a small SVG', async () => {
    for (const path of ['/favicon.ico', '/favicon.svg']) {
      const res = await request(h.appUrl)
        .get(path)
        .buffer(true)
        .parse((r, done) => {
          let text = '';
          r.on('data', (chunk: Buffer) => (text += chunk.toString()));
          r.on('end', () => done(null, text));
        })
        .expect(200);
      assert.equal(res.headers['content-type'], 'image/svg+xml; charset=utf-8');
      assert.match(res.body as string, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      assert.ok((res.body as string).length < 1000);
    }
    const home = await request(h.appUrl).get('/').expect(200);
    assert.match(home.text, /<link rel="icon" href="\/favicon\.svg" type="image\/svg\+xml">/);
  });
});

describe('operations', () => {
  test('GET /healthz answers 200 with the API time and latency while the API is reachable', async () => {
    const res = await request(h.appUrl).get('/healthz').expect(200);
    assert.equal(res.body.ok, true);
    assert.ok(Math.abs(Date.parse(res.body.apiTime) - Date.now()) < 5_000);
    assert.equal(typeof res.body.latencyMs, 'number');
    assert.equal(typeof res.body.clockDriftMs, 'number');
  });

  test('GET /webhooks/truvalidate answers 405 with Allow: POST', async () => {
    const res = await request(h.appUrl).get('/webhooks/truvalidate').expect(405);
    assert.equal(res.headers.allow, 'POST');
  });
});
