/**
 * The example app's name rules and forms, over HTTP against the real emulator: one account per name whatever its
 * case; a linked account keeps its name until deleted on purpose (confirmed "delete account": devices unlinked,
 * sessions ended, name free); the last linked device cannot be unlinked; an abandoned sign-up releases its name
 * when its link code expires, also across restarts (accounts file); POST-redirect-GET on the forms (a reload repeats
 * nothing; F5 on the TOTP page never replaces the secret; the TOTP page offers set up OR remove).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type session from 'express-session';
import request from 'supertest';
import { MemoryStore, type TruValidateStore } from 'passport-truvalidate';
import { DirectoryFactory } from 'passport-truvalidate/sdk';
import { totpCode } from '../../lib/emulator/domain/totp';
import { FileAccountStore, holdsName } from '../../example-app/accounts';
import { createApp } from '../../example-app/app';
import { boundedSessionStore } from '../../example-app/stores';
import { startHarness, waitFor, type Harness } from './harness';

const JSON_ACCEPT = 'application/json';
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
type Agent = ReturnType<typeof request.agent>;

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

async function emulatorUser(user: string): Promise<EmulatorUser | undefined> {
  return (await h.control<EmulatorUser[]>('GET', '/users')).find((u) => u.identifier === user);
}

/** Signs `username` up in a new browser and completes the link on the simulated phone; returns the browser. */
async function signedUpAndLinked(username: string): Promise<Agent> {
  const browser = request.agent(h.appUrl);
  const res = await browser.post('/signup').set('Accept', JSON_ACCEPT).send({ username }).expect(201);
  await h.control('POST', '/devices/link', { code: res.body.code });
  await waitFor('the link', async () => {
    const r = await browser.get('/signup/status').set('Accept', JSON_ACCEPT);
    return r.body.status === 'linked' ? true : undefined;
  });
  return browser;
}

/** Logs `user` in (typed as `typed`), in a new browser, through an approved push. */
async function loggedIn(user: string, typed = user): Promise<Agent> {
  const browser = request.agent(h.appUrl);
  await browser.post('/login').set('Accept', JSON_ACCEPT).send({ username: typed }).expect(202);
  const auth = await waitFor(
    `a push for ${user}`,
    async () => (await h.control<{ authRequestId: string }[]>('GET', `/auths?user=${encodeURIComponent(user)}`))[0],
  );
  await h.control('POST', `/auths/${auth.authRequestId}/respond`, { action: 'approve' });
  const status = await browser.get('/login/status').set('Accept', JSON_ACCEPT).expect(200);
  assert.equal(status.body.status, 'authorized');
  return browser;
}

describe('one account per name', () => {
  test(
    '"Case-Carl" and "case-carl" are one account: the second sign-up is ' + 'taken; login in any case reaches it',
    async () => {
      const first = await request
        .agent(h.appUrl)
        .post('/signup')
        .set('Accept', JSON_ACCEPT)
        .send({ username: '  Case-Carl ' })
        .expect(201);
      await h.control('POST', '/devices/link', { code: first.body.code });
      const taken = await request(h.appUrl)
        .post('/signup')
        .set('Accept', JSON_ACCEPT)
        .send({ username: 'case-carl' })
        .expect(409);
      assert.equal(taken.body.code, 'ERR_EXAMPLE_USERNAME_TAKEN');
      await request(h.appUrl).post('/signup').set('Accept', JSON_ACCEPT).send({ username: 'CASE-CARL' }).expect(409);
      assert.ok(await emulatorUser('case-carl'));
      assert.equal(await emulatorUser('Case-Carl'), undefined, 'the directory knows only the normalised name');
      const browser = await loggedIn('case-carl', 'CASE-carl');
      assert.equal((await browser.get('/me').set('Accept', JSON_ACCEPT).expect(200)).body.username, 'case-carl');
    },
  );

  test('a linked account keeps its name with no device left (unlinked outside the app)', async () => {
    await signedUpAndLinked('keep-kim');
    const user = await emulatorUser('keep-kim');
    const directory = new DirectoryFactory(h.emulator.directory.id, h.emulator.directory.privateKey, {
      url: h.emulatorUrl,
    }).makeDirectoryClient();
    await directory.unlinkDevice('keep-kim', user?.devices[0]?.id ?? '');
    assert.equal((await emulatorUser('keep-kim'))?.devices.length, 0);
    const again = await request(h.appUrl)
      .post('/signup')
      .set('Accept', JSON_ACCEPT)
      .send({ username: 'keep-kim' })
      .expect(409);
    assert.equal(again.body.code, 'ERR_EXAMPLE_USERNAME_TAKEN');
  });

  test('a user linked outside the app (directory only) holds the name too', async () => {
    await h.emulator.linkUser('outside-olga');
    await request(h.appUrl).post('/signup').set('Accept', JSON_ACCEPT).send({ username: 'Outside-Olga' }).expect(409);
  });
});

describe('last device and delete account', () => {
  test('unlinking the only linked device is refused (409, JSON and page); with two, one may go', async () => {
    await signedUpAndLinked('last-lou');
    const browser = await loggedIn('last-lou');
    const list = await browser.get('/devices').set('Accept', JSON_ACCEPT).expect(200);
    const only = list.body.devices[0].id as string;
    const refused = await browser.delete(`/devices/${only}`).set('Accept', JSON_ACCEPT).expect(409);
    assert.equal(refused.body.code, 'ERR_EXAMPLE_LAST_DEVICE');
    assert.match(refused.body.error, /only linked device.*delete your account/);
    await browser
      .post(`/devices/${only}/unlink`)
      .set('Accept', BROWSER_ACCEPT)
      .expect(303)
      .expect('Location', '/devices');
    const page = await browser.get('/devices').set('Accept', BROWSER_ACCEPT).expect(409);
    assert.match(page.text, /data-testid="devices-error">This is your only linked device/);
    await browser.get('/devices').set('Accept', BROWSER_ACCEPT).expect(200);
    assert.equal((await emulatorUser('last-lou'))?.devices.length, 1, 'still linked');

    const link = await browser.post('/devices/link').set('Accept', JSON_ACCEPT).expect(201);
    await h.control('POST', '/devices/link', { code: link.body.code });
    await browser.delete(`/devices/${only}`).set('Accept', JSON_ACCEPT).expect(204);
    assert.equal((await emulatorUser('last-lou'))?.devices.length, 1);
  });

  test(
    'delete account: refused without the right confirmation; then devices ' +
      'unlinked, every session ended, name free',
    async () => {
      await signedUpAndLinked('del-dora');
      const browser = await loggedIn('del-dora');
      const setup = await browser.post('/totp/setup').set('Accept', JSON_ACCEPT).expect(201);
      assert.equal(typeof setup.body.secret, 'string');
      const otherBrowser = await loggedIn('del-dora');

      const wrong = await browser
        .post('/account/delete')
        .set('Accept', JSON_ACCEPT)
        .send({ confirm: 'del-dor' })
        .expect(400);
      assert.equal(wrong.body.code, 'ERR_EXAMPLE_CONFIRMATION');
      await browser
        .post('/account/delete')
        .set('Accept', BROWSER_ACCEPT)
        .type('form')
        .send('confirm=nope')
        .expect(303)
        .expect('Location', '/account');
      assert.match(
        (await browser.get('/account').set('Accept', BROWSER_ACCEPT).expect(400)).text,
        /data-testid="account-error"/,
      );
      assert.equal((await emulatorUser('del-dora'))?.devices.length, 1, 'nothing changed');
      await request(h.appUrl).post('/signup').set('Accept', JSON_ACCEPT).send({ username: 'del-dora' }).expect(409);

      const done = await browser
        .post('/account/delete')
        .set('Accept', JSON_ACCEPT)
        .send({ confirm: 'Del-Dora' })
        .expect(200);
      assert.deepEqual(done.body, { deleted: true, username: 'del-dora' });
      const user = await emulatorUser('del-dora');
      assert.equal(user?.devices.length, 0, 'every device unlinked');
      assert.equal(user?.sessions.length, 0, 'the TruValidate session ended');
      await assert.rejects(h.control('GET', '/totp/del-dora'), /404/, 'TOTP removed');
      await browser.get('/me').set('Accept', JSON_ACCEPT).expect(401);
      await otherBrowser.get('/me').set('Accept', JSON_ACCEPT).expect(401);
      await request(h.appUrl).post('/signup').set('Accept', JSON_ACCEPT).send({ username: 'del-dora' }).expect(201);
    },
  );
});

describe('abandoned sign-ups (link code valid 2 s)', () => {
  let short: Harness;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'example-accounts-'));
  });

  after(async () => {
    await short?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test(
    'the name is taken until the code expires, then free; the old code and ' + 'device are gone; across restarts too',
    async () => {
      const file = path.join(dir, 'accounts.json');
      short = await startHarness({ linkTtlSeconds: 2 });
      // The app of the harness keeps accounts in memory; these two apps share the accounts file, as two runs would.
      const config = {
        apiUrl: short.emulatorUrl,
        service: short.emulator.service,
        directory: short.emulator.directory,
        sessionSecret: 'test-session-secret-0123456789abcdef',
        linkTtlSeconds: 2,
      };
      const firstRun = createApp({ ...config, stores: { ...memoryStores(), accounts: new FileAccountStore(file) } });
      const owner = request.agent(firstRun);
      const started = await owner
        .post('/signup')
        .set('Accept', JSON_ACCEPT)
        .send({ username: 'abandon-abe' })
        .expect(201);

      const secondRun = createApp({ ...config, stores: { ...memoryStores(), accounts: new FileAccountStore(file) } });
      const taken = await request(secondRun)
        .post('/signup')
        .set('Accept', JSON_ACCEPT)
        .send({ username: 'abandon-abe' })
        .expect(409);
      assert.equal(taken.body.code, 'ERR_EXAMPLE_USERNAME_TAKEN');

      await new Promise((resolve) => setTimeout(resolve, 2300));
      const status = await owner.get('/signup/status').set('Accept', JSON_ACCEPT).expect(200);
      assert.equal(status.body.status, 'expired');
      assert.match(status.body.error, /expired/);

      const thirdRun = createApp({ ...config, stores: { ...memoryStores(), accounts: new FileAccountStore(file) } });
      const fresh = await request
        .agent(thirdRun)
        .post('/signup')
        .set('Accept', JSON_ACCEPT)
        .send({ username: 'abandon-abe' })
        .expect(201);
      assert.notEqual(fresh.body.code, started.body.code);
      const devices = (await short.control<EmulatorUser[]>('GET', '/users')).find(
        (u) => u.identifier === 'abandon-abe',
      )?.devices;
      assert.equal(devices?.length, 1, 'the abandoned pending device was removed');
      const reloaded = await new FileAccountStore(file).get('abandon-abe');
      assert.equal(reloaded?.state, 'pending');
      assert.ok(holdsName(reloaded));
    },
  );
});

describe('forms follow POST-redirect-GET', () => {
  test(
    'TOTP: set up redirects to the page, which shows the secret once and ' +
      'then only "Remove TOTP"; F5 replaces nothing',
    async () => {
      await h.emulator.linkUser('prg-pat');
      const browser = await loggedIn('prg-pat');
      const before = await browser.get('/totp').set('Accept', BROWSER_ACCEPT).expect(200);
      assert.match(before.text, /action="\/totp\/setup"/);
      assert.doesNotMatch(before.text, /action="\/totp\/remove"/, 'nothing to remove yet');

      await browser.post('/totp/setup').set('Accept', BROWSER_ACCEPT).expect(303).expect('Location', '/totp');
      const shown = await browser.get('/totp').set('Accept', BROWSER_ACCEPT).expect(200);
      const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(shown.text)?.[1];
      assert.ok(secret, 'the new secret is shown');
      assert.match(shown.text, /action="\/totp\/remove"/);
      assert.doesNotMatch(shown.text, /action="\/totp\/setup"/, 'set up is not offered once TOTP is set up');

      const reload = await browser.get('/totp').set('Accept', BROWSER_ACCEPT).expect(200);
      assert.doesNotMatch(reload.text, /data-testid="totp-secret"/, 'a reload does not show (or make) a secret');
      assert.match(reload.text, /TOTP is set up for your account/);

      // A re-sent set-up form (an old tab, the back button) does not replace the secret either.
      await browser.post('/totp/setup').set('Accept', BROWSER_ACCEPT).expect(303);
      const refused = await browser.get('/totp').set('Accept', BROWSER_ACCEPT).expect(409);
      assert.match(refused.text, /TOTP is already set up/);
      const json = await browser.post('/totp/setup').set('Accept', JSON_ACCEPT).expect(409);
      assert.equal(json.body.code, 'ERR_EXAMPLE_TOTP_EXISTS');
      const emulatorCode = (await h.control<{ code: string }>('GET', '/totp/prg-pat')).code;
      const now = Math.floor(Date.now() / 1000);
      const fromShown = [now - 1, now, now + 1].map((t) =>
        totpCode({ secret, algorithm: 'SHA1', digits: 6, period: 30 }, t),
      );
      assert.ok(fromShown.includes(emulatorCode), 'the emulator still has the secret that was shown');

      await browser.post('/totp/remove').set('Accept', BROWSER_ACCEPT).expect(303).expect('Location', '/totp');
      const removed = await browser.get('/totp').set('Accept', BROWSER_ACCEPT).expect(200);
      assert.match(removed.text, /TOTP removed\./);
      assert.match(removed.text, /action="\/totp\/setup"/);
    },
  );

  test('sign-up and login errors redirect to the form, which shows them once with their status', async () => {
    await h.emulator.linkUser('prg-taken');
    const browser = request.agent(h.appUrl);
    await browser
      .post('/signup')
      .set('Accept', BROWSER_ACCEPT)
      .type('form')
      .send('username=PRG-Taken')
      .expect(303)
      .expect('Location', '/signup');
    const page = await browser.get('/signup').set('Accept', BROWSER_ACCEPT).expect(409);
    assert.match(page.text, /data-testid="signup-error">The username &quot;prg-taken&quot; is taken\.</);
    assert.match(page.text, /value="PRG-Taken"/);
    await browser.get('/signup').set('Accept', BROWSER_ACCEPT).expect(200);

    await browser
      .post('/login/totp')
      .set('Accept', BROWSER_ACCEPT)
      .type('form')
      .send('username=prg-taken&otp=000000')
      .expect(303)
      .expect('Location', '/login/totp');
    const login = await browser.get('/login/totp').set('Accept', BROWSER_ACCEPT).expect(401);
    assert.match(login.text, /data-testid="login-error"/);
    await browser.get('/login/totp').set('Accept', BROWSER_ACCEPT).expect(200);
  });
});

/** Fresh in-memory strategy and session stores (the accounts come from the file). */
function memoryStores(): { store: TruValidateStore; sessionStore: session.Store } {
  return { store: new MemoryStore(), sessionStore: boundedSessionStore() };
}
