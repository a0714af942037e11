/**
 * The example app against a hostile or clumsy visitor, over HTTP against the real emulator: every state-changing
 * route refuses a cross-site browser request (the headers a real browser sends from another site's page) with 403
 * and changes nothing; limits answer 429 with Retry-After, identical for a name that does not exist, and the page
 * says when to try again; in emulator mode the console says why no push went out, and the waiting page offers a
 * "nothing on the phone?" hint (never against the real API); the README walkthrough stays under every limit.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startHarness, waitFor, type Harness } from './harness';
import { eventually } from '../fixtures/eventually';

const JSON_ACCEPT = 'application/json';
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
/** What Chromium sends when a page on https://evil.example submits a form to the app. */
const CROSS_SITE = {
  Origin: 'https://evil.example',
  'Sec-Fetch-Site': 'cross-site',
  'Sec-Fetch-Mode': 'navigate',
  'Sec-Fetch-Dest': 'document',
  'Sec-Fetch-User': '?1',
  Accept: BROWSER_ACCEPT,
};
type Agent = ReturnType<typeof request.agent>;

interface EmulatorUser {
  identifier: string;
  devices: { id: string; status: number }[];
  sessions: { serviceId: string }[];
  hasTotp: boolean;
}

let h: Harness;
const devLines: string[] = [];

before(async () => {
  h = await startHarness({ devLog: (line) => devLines.push(line) });
});

after(async () => {
  await h.close();
});

async function emulatorUser(user: string): Promise<EmulatorUser | undefined> {
  return (await h.control<EmulatorUser[]>('GET', '/users')).find((u) => u.identifier === user);
}

async function auths(user: string): Promise<{ authRequestId: string }[]> {
  return h.control<{ authRequestId: string }[]>('GET', `/auths?user=${encodeURIComponent(user)}`);
}

async function loggedIn(user: string, harness = h): Promise<Agent> {
  const browser = request.agent(harness.appUrl);
  await browser.post('/login').set('Accept', JSON_ACCEPT).send({ username: user }).expect(202);
  const auth = await waitFor(
    `a push for ${user}`,
    async () =>
      (await harness.control<{ authRequestId: string }[]>('GET', `/auths?user=${encodeURIComponent(user)}`))[0],
  );
  await harness.control('POST', `/auths/${auth.authRequestId}/respond`, { action: 'approve' });
  const status = await browser.get('/login/status').set('Accept', JSON_ACCEPT).expect(200);
  assert.equal(status.body.status, 'authorized');
  return browser;
}

describe('cross-site browser requests are refused on every state-changing route', () => {
  test('login, sign-up: 403, nothing pushed, nothing created, no session', async () => {
    await h.emulator.linkUser('xs-mallory');
    const login = await request(h.appUrl)
      .post('/login')
      .set(CROSS_SITE)
      .type('form')
      .send('username=xs-mallory')
      .expect(403);
    assert.equal(login.headers['set-cookie'], undefined, 'no session made for the victim');
    assert.match(login.text, /Cross-site request refused/);
    assert.deepEqual(await auths('xs-mallory'), [], 'nothing pushed');
    await request(h.appUrl)
      .post('/login/totp')
      .set(CROSS_SITE)
      .type('form')
      .send('username=xs-mallory&otp=123456')
      .expect(403);
    await request(h.appUrl).post('/signup').set(CROSS_SITE).type('form').send('username=xs-newname').expect(403);
    assert.equal(await emulatorUser('xs-newname'), undefined, 'no user, no device link');
    const json = await request(h.appUrl)
      .post('/login')
      .set({ ...CROSS_SITE, Accept: JSON_ACCEPT })
      .send({ username: 'xs-mallory' })
      .expect(403);
    assert.equal(json.body.error, 'cross_site');
    // Origin: null (a sandboxed frame, a data: URL) counts as cross-site; same-site (a sibling subdomain) too.
    await request(h.appUrl).post('/login').set({ Origin: 'null' }).type('form').send('username=xs-mallory').expect(403);
    await request(h.appUrl)
      .post('/login')
      .set({ 'Sec-Fetch-Site': 'same-site' })
      .type('form')
      .send('username=xs-mallory')
      .expect(403);
    assert.deepEqual(await auths('xs-mallory'), []);
  });

  test('logout, cancel, devices, TOTP set-up, delete account: 403 and nothing changed', async () => {
    await h.emulator.linkUser('xs-victim');
    const victim = await loggedIn('xs-victim');
    const link = await victim.post('/devices/link').set('Accept', JSON_ACCEPT).expect(201);
    await h.control('POST', '/devices/link', { code: link.body.code });
    const devices = (await victim.get('/devices').set('Accept', JSON_ACCEPT).expect(200)).body.devices as {
      id: string;
    }[];
    assert.equal(devices.length, 2);

    await victim.post('/logout').set(CROSS_SITE).expect(403);
    await victim.get('/me').set('Accept', JSON_ACCEPT).expect(200);
    const victimUser = await eventually(
      () => emulatorUser('xs-victim'),
      (u) => (u?.sessions.length ?? 0) > 0,
    );
    assert.equal(victimUser?.sessions.length, 1, 'the TruValidate session stands');

    await victim.post(`/devices/${devices[1]?.id}/unlink`).set(CROSS_SITE).expect(403);
    await victim.delete(`/devices/${devices[1]?.id}`).set(CROSS_SITE).expect(403);
    await victim.post('/devices/link').set(CROSS_SITE).expect(403);
    assert.equal((await emulatorUser('xs-victim'))?.devices.length, 2, 'no device unlinked nor added');

    await victim.post('/totp/setup').set(CROSS_SITE).expect(403);
    assert.equal((await emulatorUser('xs-victim'))?.hasTotp, false, 'no TOTP secret made');

    await victim.post('/account/delete').set(CROSS_SITE).type('form').send('confirm=xs-victim').expect(403);
    assert.equal((await emulatorUser('xs-victim'))?.devices.length, 2, 'the account stands');
    await victim.get('/me').set('Accept', JSON_ACCEPT).expect(200);

    // The victim's own pending login: a cross-site cancel leaves it waiting.
    const waiting = request.agent(h.appUrl);
    await h.emulator.linkUser('xs-waiter');
    await waiting.post('/login').set('Accept', JSON_ACCEPT).send({ username: 'xs-waiter' }).expect(202);
    await waitFor('the push', async () => (await auths('xs-waiter'))[0]);
    await waiting.post('/login/cancel').set(CROSS_SITE).expect(403);
    assert.equal((await auths('xs-waiter')).length, 1, 'still pending at TruValidate');
    assert.equal(
      (await waiting.get('/login/status?wait=0').set('Accept', JSON_ACCEPT).expect(200)).body.status,
      'pending',
    );

    // The same requests from the app's own pages go through.
    const own = {
      Origin: h.appUrl,
      'Sec-Fetch-Site': 'same-origin',
      'Sec-Fetch-Mode': 'navigate',
      Accept: BROWSER_ACCEPT,
    };
    await waiting.post('/login/cancel').set(own).expect(303);
    await victim.post(`/devices/${devices[1]?.id}/unlink`).set(own).expect(303);
    await victim.post('/logout').set(own).expect(303);
    await victim.get('/me').set('Accept', JSON_ACCEPT).expect(401);
  });
});

describe('limits are visible and honest', () => {
  test(
    'the 6th push in a minute: 429 with Retry-After, nothing pushed, ' + 'identical for a name that does not exist',
    async () => {
      await h.emulator.linkUser('lim-real');
      const answers: { status: number; retryAfter: string | undefined; body: unknown }[] = [];
      for (const name of ['lim-real', 'lim-nobody']) {
        const browser = request.agent(h.appUrl);
        for (let i = 1; i <= 5; i++) {
          await browser.post('/login').set('Accept', JSON_ACCEPT).send({ username: name }).expect(202);
          await browser.post('/login/cancel').set('Accept', JSON_ACCEPT).expect(200, { canceled: true });
        }
        const sixth = await browser.post('/login').set('Accept', JSON_ACCEPT).send({ username: name });
        answers.push({ status: sixth.status, retryAfter: sixth.headers['retry-after'], body: sixth.body });
      }
      assert.deepEqual(answers[0], {
        status: 429,
        retryAfter: '60',
        body: {
          status: 'limited',
          reason: 'rate_limited',
          error: 'Too many login attempts; try again in 60 seconds.',
          retryAfter: 60,
        },
      });
      assert.deepEqual(answers[1], answers[0], 'the same answer for a name that does not exist');
      assert.deepEqual(await auths('lim-real'), [], 'no sixth push');
    },
  );

  test('a browser over the limit: the login page answers 429 with Retry-After and says when to try again', async () => {
    await h.emulator.linkUser('lim-page');
    const browser = request.agent(h.appUrl);
    for (let i = 1; i <= 5; i++) {
      await browser.post('/login').set('Accept', BROWSER_ACCEPT).type('form').send('username=lim-page').expect(303);
      await browser.post('/login/cancel').set('Accept', BROWSER_ACCEPT).expect(303);
    }
    await browser
      .post('/login')
      .set('Accept', BROWSER_ACCEPT)
      .type('form')
      .send('username=LIM-page')
      .expect(303)
      .expect('Location', '/login');
    const page = await browser.get('/login').set('Accept', BROWSER_ACCEPT).expect(429);
    const retryAfter = Number(page.headers['retry-after']);
    assert.ok(retryAfter >= 55 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.match(
      page.text,
      new RegExp(
        'data-testid="login-error">Too many login attempts for now\\. ' +
          'Try again in (5\\d|60) seconds \\(at \\d\\d:\\d\\d:\\d\\d UTC\\)\\.<',
      ),
    );
    assert.match(page.text, /value="LIM-page"/, 'the form keeps what was typed');
    await browser.get('/login').set('Accept', BROWSER_ACCEPT).expect(200);
  });
});

describe('emulator mode explains; production mode does not', () => {
  test('the console says why no push went out: unknown user, no linked device, over the limit', async () => {
    devLines.length = 0;
    const ghost = request.agent(h.appUrl);
    for (let i = 1; i <= 5; i++) {
      await ghost.post('/login').set('Accept', JSON_ACCEPT).send({ username: 'Ghost-Gus' }).expect(202);
      await ghost.post('/login/cancel').set('Accept', JSON_ACCEPT).expect(200, { canceled: true });
    }
    await ghost.post('/login').set('Accept', JSON_ACCEPT).send({ username: 'Ghost-Gus' }).expect(429);
    const pending = await request
      .agent(h.appUrl)
      .post('/signup')
      .set('Accept', JSON_ACCEPT)
      .send({ username: 'halfway-hal' })
      .expect(201);
    assert.equal(typeof pending.body.code, 'string');
    await request(h.appUrl).post('/login').set('Accept', JSON_ACCEPT).send({ username: 'halfway-hal' }).expect(202);
    await waitFor('the explanations', async () => (devLines.length >= 7 ? true : undefined));
    assert.ok(
      devLines.some((l) => l.includes('No push sent to "ghost-gus": no such user in the directory')),
      devLines.join('\n'),
    );
    assert.ok(
      devLines.some((l) => l.includes('No push sent to "halfway-hal": the user has no linked device')),
      devLines.join('\n'),
    );
    assert.ok(
      devLines.some((l) => l.includes('No push sent to "ghost-gus": over the push limit')),
      devLines.join('\n'),
    );
  });

  test('the waiting page has the "nothing on the phone?" hint with the simulator URL', async () => {
    const browser = request.agent(h.appUrl);
    const page = await browser
      .post('/login')
      .set('Accept', BROWSER_ACCEPT)
      .type('form')
      .send('username=hint-hank')
      .redirects(1)
      .expect(200);
    assert.match(page.text, /data-testid="phone-hint" hidden>Nothing on the phone\?/);
    assert.ok(page.text.includes(`href="${h.emulatorUrl}/_emulator/"`));
  });

  test('against the real API (no simulator URL): no explanation in the console, no hint on the page', async () => {
    const lines: string[] = [];
    const prod = await startHarness({ simulatorUrl: null, devLog: (line) => lines.push(line) });
    try {
      const browser = request.agent(prod.appUrl);
      const page = await browser
        .post('/login')
        .set('Accept', BROWSER_ACCEPT)
        .type('form')
        .send('username=ghost-prod')
        .redirects(1)
        .expect(200);
      assert.match(page.text, /data-testid="countdown"/);
      assert.doesNotMatch(page.text, /phone-hint|Nothing on the phone/);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(lines, []);
    } finally {
      await prod.close();
    }
  });
});

describe('the README walkthrough stays under every limit', () => {
  test('the browser steps and the curl steps, in one minute from one client: never a 429', async () => {
    const own = await startHarness();
    const statuses: number[] = [];
    const seen = (res: { status: number }): void => {
      statuses.push(res.status);
    };
    try {
      const push = async (browser: Agent, user: string, action: 'approve' | 'deny'): Promise<string> => {
        const res = await browser.post('/login').set('Accept', JSON_ACCEPT).send({ username: user });
        seen(res);
        const auth = await waitFor(
          'the push',
          async () => (await own.control<{ authRequestId: string }[]>('GET', `/auths?user=${user}`))[0],
        );
        await own.control('POST', `/auths/${auth.authRequestId}/respond`, { action });
        const status = await browser.get('/login/status').set('Accept', JSON_ACCEPT);
        seen(status);
        return status.body.status as string;
      };
      // Browser steps: sign up and link; log in and deny, try again and approve; log out; log in again; TOTP set-up,
      // log out, TOTP login; devices: link another and unlink it; log out.
      const browser = request.agent(own.appUrl);
      const signup = await browser.post('/signup').set('Accept', JSON_ACCEPT).send({ username: 'Walker' });
      seen(signup);
      await own.control('POST', '/devices/link', { code: signup.body.code });
      assert.equal(await push(browser, 'walker', 'deny'), 'denied');
      assert.equal(await push(browser, 'walker', 'approve'), 'authorized');
      seen(await browser.post('/logout').set('Accept', JSON_ACCEPT));
      assert.equal(await push(browser, 'walker', 'approve'), 'authorized');
      seen(await browser.post('/totp/setup').set('Accept', JSON_ACCEPT));
      seen(await browser.post('/logout').set('Accept', JSON_ACCEPT));
      const code = (await own.control<{ code: string }>('GET', '/totp/walker')).code;
      const totp = await browser.post('/login/totp').set('Accept', JSON_ACCEPT).send({ username: 'walker', otp: code });
      seen(totp);
      assert.equal(totp.body.status, 'authorized');
      const link = await browser.post('/devices/link').set('Accept', JSON_ACCEPT);
      seen(link);
      await own.control('POST', '/devices/link', { code: link.body.code });
      const devices = await browser.get('/devices').set('Accept', JSON_ACCEPT);
      seen(await browser.delete(`/devices/${devices.body.devices[1].id}`).set('Accept', JSON_ACCEPT));
      seen(await browser.post('/logout').set('Accept', JSON_ACCEPT));
      // The curl steps, with their own user.
      const curl = request.agent(own.appUrl);
      const curlSignup = await curl.post('/signup').set('Accept', JSON_ACCEPT).type('form').send('username=curl-12345');
      seen(curlSignup);
      await own.control('POST', '/devices/link', { code: curlSignup.body.code });
      assert.equal(await push(curl, 'curl-12345', 'approve'), 'authorized');
      seen(await curl.get('/me').set('Accept', JSON_ACCEPT));
      seen(await curl.post('/logout').set('Accept', JSON_ACCEPT));
      assert.deepEqual(
        statuses.filter((s) => s === 429 || s >= 500),
        [],
      );
      assert.deepEqual([...new Set(statuses)].sort(), [200, 201, 202, 204]);
    } finally {
      await own.close();
    }
  });
});
