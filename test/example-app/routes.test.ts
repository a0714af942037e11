/**
 * The JSON contract of every route of the example app (README.md "Try it: the example app"), over HTTP against the real
 * emulator: sign up and link, push login (approve, deny, cancel), live status, /me, logout both ways, devices,
 * TOTP, webhooks, the push limit, and HTML vs JSON negotiation.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { TruValidateStrategyError } from 'passport-truvalidate';
import { describeError } from '../../example-app/errors';
import { startHarness, waitFor, type Harness } from './harness';
import { eventually } from '../fixtures/eventually';

const JSON_ACCEPT = 'application/json';

interface PendingAuth {
  authRequestId: string;
  user: string;
  title: string | null;
  context: string | null;
  expiresAt: string;
  denialReasons: { id: string; reason: string; fraud: boolean }[];
}

interface EmulatorUser {
  identifier: string;
  devices: { id: string; status: number }[];
  sessions: { serviceId: string }[];
}

let h: Harness;

before(async () => {
  h = await startHarness();
});

after(async () => {
  await h.close();
});

function agent(): ReturnType<typeof request.agent> {
  return request.agent(h.appUrl);
}

async function pendingAuthOf(user: string): Promise<PendingAuth> {
  return waitFor(`a push for ${user}`, async () => {
    const auths = await h.control<PendingAuth[]>('GET', `/auths?user=${encodeURIComponent(user)}`);
    return auths[0];
  });
}

async function emulatorUser(user: string): Promise<EmulatorUser | undefined> {
  const users = await h.control<EmulatorUser[]>('GET', '/users');
  return users.find((u) => u.identifier === user);
}

/** Logs `user` in through a push approved in the emulator; returns the agent holding the session. */
async function loggedIn(user: string): Promise<ReturnType<typeof agent>> {
  const browser = agent();
  await browser.post('/login').set('Accept', JSON_ACCEPT).send({ username: user }).expect(202);
  const auth = await pendingAuthOf(user);
  await h.control('POST', `/auths/${auth.authRequestId}/respond`, { action: 'approve' });
  const status = await browser.get('/login/status').set('Accept', JSON_ACCEPT).expect(200);
  assert.equal(status.body.status, 'authorized');
  // The TruValidate session starts in the background: wait until the device lists it (a phone logout ends it).
  await eventually(
    () => emulatorUser(user),
    (u) => (u?.sessions.length ?? 0) > 0,
  );
  return browser;
}

describe('sign up', () => {
  test('a free name starts linking: 201 { code, qrcode }; the link completes through the simulated phone', async () => {
    const browser = agent();
    const res = await browser.post('/signup').set('Accept', JSON_ACCEPT).send({ username: 'signup-alice' }).expect(201);
    assert.deepEqual(Object.keys(res.body).sort(), ['code', 'qrcode']);
    assert.match(res.body.code, /^[A-Za-z0-9]{7,}$/);
    assert.match(res.body.qrcode, /^http:\/\/127\.0\.0\.1:\d+\//);

    const pending = await browser.get('/signup/status').set('Accept', JSON_ACCEPT).expect(200);
    assert.equal(pending.body.status, 'pending');

    await h.control('POST', '/devices/link', { code: res.body.code });
    const linked = await waitFor('the link to complete', async () => {
      const r = await browser.get('/signup/status').set('Accept', JSON_ACCEPT).expect(200);
      return r.body.status === 'linked' ? r.body : undefined;
    });
    assert.equal(linked.username, 'signup-alice');
    const user = await emulatorUser('signup-alice');
    assert.equal(user?.devices.length, 1);
    assert.equal(user?.devices[0]?.status, 1);
  });

  test('the directory webhook of the link completion reaches the app', async () => {
    const browser = agent();
    const res = await browser.post('/signup').set('Accept', JSON_ACCEPT).send({ username: 'signup-hook' }).expect(201);
    await h.control('POST', '/devices/link', { code: res.body.code });
    const delivery = h.emulator.webhookLog.find((d) => d.url.endsWith('/webhooks/truvalidate/directory'));
    assert.ok(delivery, 'a webhook was sent to the directory webhook route');
    assert.equal(delivery.status, 204);
  });

  test('form-encoded bodies work; a taken name is 409; a bad name is 400', async () => {
    await h.emulator.linkUser('signup-taken');
    const taken = await agent()
      .post('/signup')
      .set('Accept', JSON_ACCEPT)
      .type('form')
      .send('username=signup-taken')
      .expect(409);
    assert.match(taken.body.error, /taken/);
    const bad = await agent()
      .post('/signup')
      .set('Accept', JSON_ACCEPT)
      .send({ username: 'no spaces <here>' })
      .expect(400);
    assert.equal(bad.body.code, 'ERR_EXAMPLE_BAD_USERNAME');
    const missing = await agent().post('/signup').set('Accept', JSON_ACCEPT).send({}).expect(400);
    assert.equal(missing.body.code, 'ERR_EXAMPLE_BAD_USERNAME');
  });

  test(
    'the HTML answer redirects to the link page, with a real PNG QR code ' + 'and the code; a reload starts nothing',
    async () => {
      const browser = agent();
      await browser
        .post('/signup')
        .type('form')
        .send('username=signup-html')
        .expect(303)
        .expect('Location', '/signup/link');
      const res = await browser.get('/signup/link').expect(200);
      assert.match(res.headers['content-type'] ?? '', /text\/html/);
      const qr = /src="data:image\/png;base64,([A-Za-z0-9+/=]+)"/.exec(res.text);
      assert.ok(qr, 'QR image as a PNG data URL');
      const png = Buffer.from(qr[1] ?? '', 'base64');
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const links = await h.control<{ identifier: string; code: string }[]>('GET', '/links');
      const link = links.find((l) => l.identifier === 'signup-html');
      assert.ok(link);
      assert.ok(res.text.includes(`data-testid="link-code">${link.code}<`));
      const reload = await browser.get('/signup/link').expect(200);
      assert.ok(reload.text.includes(`data-testid="link-code">${link.code}<`), 'the same code again');
      const after = await h.control<{ identifier: string }[]>('GET', '/links');
      assert.equal(after.filter((l) => l.identifier === 'signup-html').length, 1, 'no second link started');
    },
  );

  test('the browser that started a sign up may start it again (new code); others find the name taken', async () => {
    const browser = agent();
    const first = await browser
      .post('/signup')
      .set('Accept', JSON_ACCEPT)
      .send({ username: 'signup-again' })
      .expect(201);
    await agent().post('/signup').set('Accept', JSON_ACCEPT).send({ username: 'signup-again' }).expect(409);
    const second = await browser
      .post('/signup')
      .set('Accept', JSON_ACCEPT)
      .send({ username: 'signup-again' })
      .expect(201);
    assert.notEqual(second.body.code, first.body.code);
    const user = await emulatorUser('signup-again');
    assert.equal(user?.devices.length, 1, 'the first pending device was replaced');
    await assert.rejects(h.control('POST', '/devices/link', { code: first.body.code }), /404/);
  });

  test('GET /signup/status without a pending link is 404 { status: "none" }', async () => {
    const res = await agent().get('/signup/status').set('Accept', JSON_ACCEPT).expect(404);
    assert.equal(res.body.status, 'none');
  });
});

describe('push login', () => {
  before(async () => {
    for (const name of [
      'push-ok',
      'push-deny',
      'push-cancel',
      'push-html',
      'push-logout',
      'push-remote',
      'push-return',
    ]) {
      await h.emulator.linkUser(name);
    }
  });

  test('GET /me is 401 before login', async () => {
    const res = await agent().get('/me').set('Accept', JSON_ACCEPT).expect(401);
    assert.equal(res.body.code, 'ERR_EXAMPLE_NOT_LOGGED_IN');
  });

  test('POST /login is 202 pending; approval makes /login/status authorized and /me the user', async () => {
    const browser = agent();
    const start = await browser.post('/login').set('Accept', JSON_ACCEPT).send({ username: 'push-ok' }).expect(202);
    assert.deepEqual(start.body, { status: 'pending' });
    const auth = await pendingAuthOf('push-ok');
    assert.equal(auth.title, 'Log in to the TruValidate example');
    assert.match(auth.context ?? '', /^Login from /);
    const waiting = await browser.get('/login/status?wait=0').set('Accept', JSON_ACCEPT).expect(200);
    assert.equal(waiting.body.status, 'pending');
    await browser.get('/me').set('Accept', JSON_ACCEPT).expect(401);

    await h.control('POST', `/auths/${auth.authRequestId}/respond`, { action: 'approve' });
    const status = await browser.get('/login/status').set('Accept', JSON_ACCEPT).expect(200);
    assert.equal(status.body.status, 'authorized');
    const me = await browser.get('/me').set('Accept', JSON_ACCEPT).expect(200);
    assert.equal(me.body.username, 'push-ok');
    assert.equal(me.body.method, 'push');
    assert.ok(Array.isArray(me.body.authMethods) && me.body.authMethods.length > 0);
    assert.equal(typeof me.body.authMethods[0].method, 'string');
    const user = await eventually(
      () => emulatorUser('push-ok'),
      (u) => (u?.sessions.length ?? 0) > 0,
    );
    assert.equal(user?.sessions.length, 1, 'sessionStart was called');
    const hook = h.emulator.webhookLog.find((d) => d.url === `${h.appUrl}/webhooks/truvalidate`);
    assert.ok(hook, 'the authorization response webhook went to POST /webhooks/truvalidate');
    assert.equal(hook.status, 204);
    const home = await browser.get('/').set('Accept', JSON_ACCEPT).expect(200);
    assert.equal(home.body.user.username, 'push-ok');
  });

  test(
    'a page that needs login remembers itself: after the login, the status ' + 'answer sends the browser back there',
    async () => {
      const browser = agent();
      const bounce = await browser.get('/devices').expect(303);
      assert.equal(bounce.headers['location'], '/login');
      await browser.post('/login').set('Accept', JSON_ACCEPT).send({ username: 'push-return' }).expect(202);
      const auth = await pendingAuthOf('push-return');
      await h.control('POST', `/auths/${auth.authRequestId}/respond`, { action: 'approve' });
      const status = await browser.get('/login/status').set('Accept', JSON_ACCEPT).expect(200);
      assert.equal(status.body.status, 'authorized');
      assert.equal(status.body.returnTo, '/devices');
    },
  );

  test('denied: /login/status says denied with the reason; no login', async () => {
    const browser = agent();
    await browser.post('/login').set('Accept', JSON_ACCEPT).send({ username: 'push-deny' }).expect(202);
    const auth = await pendingAuthOf('push-deny');
    const reason = auth.denialReasons.find((r) => !r.fraud);
    assert.ok(reason);
    await h.control('POST', `/auths/${auth.authRequestId}/respond`, { action: 'deny', reason: reason.id });
    const status = await browser.get('/login/status').set('Accept', JSON_ACCEPT).expect(200);
    assert.equal(status.body.status, 'denied');
    assert.equal(status.body.reason, 'DISAPPROVED');
    assert.equal(status.body.denialReason, reason.id, 'the strategy answers the id the user picked');
    assert.deepEqual(
      auth.denialReasons.map((r) => r.id),
      ['not-now', 'wrong-place', 'not-me'],
    );
    await browser.get('/me').set('Accept', JSON_ACCEPT).expect(401);
  });

  test('POST /login/cancel cancels the push at TruValidate; status says canceled', async () => {
    const browser = agent();
    await browser.post('/login').set('Accept', JSON_ACCEPT).send({ username: 'push-cancel' }).expect(202);
    await pendingAuthOf('push-cancel');
    const cancel = await browser.post('/login/cancel').set('Accept', JSON_ACCEPT).expect(200);
    assert.deepEqual(cancel.body, { canceled: true });
    const twice = await browser.post('/login/cancel').set('Accept', JSON_ACCEPT).expect(200);
    assert.deepEqual(twice.body, { canceled: false }, 'a second cancel (before any status call) cancels nothing');
    assert.deepEqual(await h.control('GET', '/auths?user=push-cancel'), []);
    const status = await browser.get('/login/status').set('Accept', JSON_ACCEPT).expect(200);
    assert.equal(status.body.status, 'canceled');
    const again = await browser.post('/login/cancel').set('Accept', JSON_ACCEPT).expect(200);
    assert.deepEqual(again.body, { canceled: false });
  });

  test('a browser (form post, HTML) is redirected to the waiting page, which shows the countdown', async () => {
    const browser = agent();
    const start = await browser.post('/login').type('form').send('username=push-html').expect(303);
    assert.equal(start.headers['location'], '/login/wait');
    const page = await browser.get('/login/wait').expect(200);
    assert.match(page.text, /data-testid="countdown"/);
    assert.match(page.text, /"expiresAt":\d{13}/);
    assert.match(
      page.text,
      /"wrong-place":"I do not recognise this website"/,
      'the page knows the text of each denial reason id',
    );
    await browser.post('/login/cancel').expect(303);
    await agent().get('/login/wait').expect(303).expect('Location', '/login');
  });

  test('POST /logout logs out and ends the TruValidate session', async () => {
    const browser = await loggedIn('push-logout');
    const started = await eventually(
      () => emulatorUser('push-logout'),
      (u) => (u?.sessions.length ?? 0) > 0,
    );
    assert.equal(started?.sessions.length, 1);
    const res = await browser.post('/logout').set('Accept', JSON_ACCEPT).expect(200);
    assert.equal(res.body.status, 'logged-out');
    await browser.get('/me').set('Accept', JSON_ACCEPT).expect(401);
    assert.equal((await emulatorUser('push-logout'))?.sessions.length, 0);
  });

  test('a logout from the phone logs the browser out on its next request', async () => {
    const browser = await loggedIn('push-remote');
    await h.control('POST', '/logout', { user: 'push-remote' });
    await browser.get('/me').set('Accept', JSON_ACCEPT).expect(401);
    const page = await browser.get('/').expect(200);
    assert.doesNotMatch(page.text, /Signed in as/);
  });
});

describe('devices and TOTP (signed in)', () => {
  let browser: ReturnType<typeof agent>;

  before(async () => {
    await h.emulator.linkUser('dev-user');
    browser = await loggedIn('dev-user');
  });

  test('signed out: 401 JSON', async () => {
    await agent().get('/devices').set('Accept', JSON_ACCEPT).expect(401);
    await agent().post('/totp/setup').set('Accept', JSON_ACCEPT).expect(401);
    await agent().get('/devices').expect(303).expect('Location', '/login');
  });

  test('list, link another, unlink', async () => {
    const list = await browser.get('/devices').set('Accept', JSON_ACCEPT).expect(200);
    assert.equal(list.body.devices.length, 1);
    assert.equal(list.body.devices[0].statusCode, 'LINKED');
    assert.equal(list.body.devices[0].status, 'linked');

    const link = await browser.post('/devices/link').set('Accept', JSON_ACCEPT).expect(201);
    assert.deepEqual(Object.keys(link.body).sort(), ['code', 'qrcode']);
    const pending = await browser.get('/devices/link/status').set('Accept', JSON_ACCEPT).expect(200);
    assert.equal(pending.body.status, 'pending');
    await h.control('POST', '/devices/link', { code: link.body.code });
    await waitFor('the second device', async () => {
      const r = await browser.get('/devices/link/status').set('Accept', JSON_ACCEPT);
      return r.body.status === 'linked' ? true : undefined;
    });
    const two = await browser.get('/devices').set('Accept', JSON_ACCEPT).expect(200);
    assert.equal(two.body.devices.length, 2);

    const second = two.body.devices[1].id as string;
    await browser.delete(`/devices/${second}`).set('Accept', JSON_ACCEPT).expect(204);
    const one = await browser.get('/devices').set('Accept', JSON_ACCEPT).expect(200);
    assert.deepEqual(
      one.body.devices.map((d: { id: string }) => d.id),
      [list.body.devices[0].id],
    );
    const missing = await browser.delete(`/devices/${second}`).set('Accept', JSON_ACCEPT).expect(404);
    assert.equal(typeof missing.body.error, 'string');
  });

  test('TOTP setup gives an otpauth URI; a TOTP login works; a wrong code is 401', async () => {
    const setup = await browser.post('/totp/setup').set('Accept', JSON_ACCEPT).expect(201);
    assert.match(setup.body.uri, /^otpauth:\/\/totp\/TruValidate%20example:dev-user\?secret=[A-Z2-7]+&issuer=/);
    assert.equal(typeof setup.body.secret, 'string');
    await browser.post('/logout').set('Accept', JSON_ACCEPT).expect(200);

    const wrong = await agent()
      .post('/login/totp')
      .set('Accept', JSON_ACCEPT)
      .send({ username: 'dev-user', otp: '000000' === (await totpNow('dev-user')) ? '111111' : '000000' })
      .expect(401);
    assert.equal(wrong.body.reason, 'INVALID_OTP');

    const other = agent();
    const ok = await other
      .post('/login/totp')
      .set('Accept', JSON_ACCEPT)
      .send({ username: 'dev-user', otp: await totpNow('dev-user') })
      .expect(200);
    assert.equal(ok.body.status, 'authorized');
    const me = await other.get('/me').set('Accept', JSON_ACCEPT).expect(200);
    assert.equal(me.body.method, 'totp');

    await other.post('/totp/remove').set('Accept', JSON_ACCEPT).expect(204);
    await assert.rejects(h.control('GET', '/totp/dev-user'), /404/);
  });
});

describe('webhooks and negotiation', () => {
  test('an unsigned service webhook is refused: 401', async () => {
    const res = await request(h.appUrl)
      .post('/webhooks/truvalidate')
      .set('Content-Type', 'application/jose')
      .send('not-a-jwe');
    assert.equal(res.status, 401, JSON.stringify(res.body));
  });

  test('an unsigned directory webhook is refused: 401', async () => {
    const res = await request(h.appUrl)
      .post('/webhooks/truvalidate/directory')
      .set('Content-Type', 'application/jose')
      .send('not-a-jwe');
    assert.equal(res.status, 401, JSON.stringify(res.body));
  });

  test('pages are HTML unless the client asks for JSON', async () => {
    for (const path of ['/', '/login', '/signup', '/login/totp']) {
      const res = await request(h.appUrl).get(path).expect(200);
      assert.match(res.headers['content-type'] ?? '', /text\/html/, path);
    }
    const css = await request(h.appUrl).get('/app.css').expect(200);
    assert.match(css.headers['content-type'] ?? '', /text\/css/);
  });
});

async function totpNow(user: string): Promise<string> {
  return (await h.control<{ code: string }>('GET', `/totp/${encodeURIComponent(user)}`)).code;
}

describe('error answers', () => {
  test('TruValidate unreachable: 502 with a message that names no host; the login store down: 503', () => {
    const cause = new Error('connect ECONNREFUSED 127.0.0.1:8080');
    const api = describeError(
      new TruValidateStrategyError(
        'ERR_TRUVALIDATE_API_UNAVAILABLE',
        'TruValidate start failed, no login was granted.',
        { cause },
      ),
    );
    assert.equal(api.status, 502);
    assert.equal(api.code, 'ERR_TRUVALIDATE_API_UNAVAILABLE');
    assert.doesNotMatch(api.message, /ECONNREFUSED|127\.0\.0\.1/);
    const store = describeError(
      new TruValidateStrategyError('ERR_TRUVALIDATE_STORE_UNAVAILABLE', 'store failed', { cause }),
    );
    assert.equal(store.status, 503);
  });
});
