/**
 * The example app in a real browser (Debian's Chromium through playwright-core), with the emulator's device
 * simulator page playing the phone: sign up and link, log in and approve (landing on the home page by itself),
 * deny with a reason, the countdown reaching expiry, log out, remote logout, TOTP login.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startHarness, type Harness } from '../example-app/harness';
import { ARTIFACTS_DIR, launchBrowser, newTracedContext } from './browser';
import { completeLink, openSimulator, pushCard, signUp, startLogin } from './flows';

let h: Harness;
let browser: Browser;

before(async () => {
  [h, browser] = await Promise.all([startHarness(), launchBrowser()]);
});

after(async () => {
  await browser?.close();
  await h?.close();
});

/** Runs `body` with an app page and a simulator page in a fresh browser session; saves a screenshot and trace. */
async function withPages(name: string, body: (app: Page, sim: Page) => Promise<void>): Promise<void> {
  const { context, page, finish } = await newTracedContext(browser, name);
  const sim = await context.newPage();
  try {
    await openSimulator(sim, h.emulatorUrl);
    await body(page, sim);
  } finally {
    await sim
      .screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.simulator.png`), fullPage: true })
      .catch(() => undefined);
    await finish();
  }
}

/** Logs `user` in by approving the push in the simulator; ends on the home page. */
async function logInWithPush(app: Page, sim: Page, user: string): Promise<void> {
  await startLogin(app, h.appUrl, user);
  const card = await pushCard(sim, user);
  await card.getByRole('button', { name: 'Approve' }).click();
  await app.waitForURL(`${h.appUrl}/`);
  await app.getByTestId('home-username').filter({ hasText: user }).waitFor();
}

describe('example app in Chromium', () => {
  test('sign up, then link the phone in the simulator: the sign-up page notices and moves on to login', async () => {
    await withPages('signup-and-link', async (app, sim) => {
      const code = await signUp(app, h.appUrl, 'br-alice');
      assert.match(code, /^[A-Za-z0-9]{7,}$/);
      const qr = app.getByTestId('link-qr');
      assert.match((await qr.getAttribute('src')) ?? '', /^data:image\/png;base64,/);
      assert.ok(
        ((await qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)) as number) > 100,
        'the QR image decodes',
      );
      await completeLink(sim, code);
      await app.waitForURL(`${h.appUrl}/login?username=br-alice`);
      assert.equal(await app.getByLabel('Username').inputValue(), 'br-alice');
      assert.equal(await app.getByTestId('notice').innerText(), 'Your phone is linked to br-alice. Log in to try it.');
      await sim.locator('.card.user[data-user="br-alice"] .badge.linked').waitFor();
    });
  });

  test('log in, approve in the simulator: the waiting page lands on the home page by itself', async () => {
    await h.emulator.linkUser('br-bob');
    await withPages('login-approve', async (app, sim) => {
      await startLogin(app, h.appUrl, 'br-bob');
      await app.getByTestId('login-status').filter({ hasText: 'Waiting for your approval' }).waitFor();
      const card = await pushCard(sim, 'br-bob');
      assert.match(await card.innerText(), /Log in to the TruValidate example/);
      assert.match(await card.innerText(), /Login from /);
      assert.equal(await card.locator('select[name="check"]').inputValue(), 'fingerprint');
      await card.getByRole('button', { name: 'Approve' }).click();
      await app.waitForURL(`${h.appUrl}/`);
      assert.equal(await app.getByTestId('home-username').innerText(), 'br-bob');
      const methods = app.getByTestId('auth-methods').locator('tbody tr');
      assert.equal(await methods.count(), 1);
      assert.match(await methods.first().innerText(), /Fingerprint\s+passed/);
      assert.equal(await app.getByTestId('nav-username').innerText(), 'br-bob');
    });
  });

  test('deny with a reason in the simulator: the waiting page shows that reason', async () => {
    await h.emulator.linkUser('br-carol');
    await withPages('login-deny', async (app, sim) => {
      await startLogin(app, h.appUrl, 'br-carol');
      const card = await pushCard(sim, 'br-carol');
      await card.locator('select[name="reason"]').selectOption('wrong-place');
      await card.getByRole('button', { name: 'Deny' }).click();
      const status = app.getByTestId('login-status');
      await status.filter({ hasText: 'Reason: I do not recognise this website' }).waitFor();
      assert.match(await status.innerText(), /denied on your phone/);
      assert.ok(!(await app.getByTestId('countdown').isVisible()), 'the countdown is gone');
      assert.ok(await app.getByRole('link', { name: 'Try again' }).isVisible());
      assert.equal(app.url(), `${h.appUrl}/login/wait`);
    });
  });

  test('report fraud in the simulator: the waiting page says so', async () => {
    await h.emulator.linkUser('br-fraud');
    await withPages('login-fraud', async (app, sim) => {
      await startLogin(app, h.appUrl, 'br-fraud');
      const card = await pushCard(sim, 'br-fraud');
      await card.getByRole('button', { name: 'Report fraud' }).click();
      await app.getByTestId('login-status').filter({ hasText: 'reported this login as fraud' }).waitFor();
    });
  });

  test('log out from the app ends the session in the app and on the phone', async () => {
    await h.emulator.linkUser('br-dave');
    await withPages('logout', async (app, sim) => {
      await logInWithPush(app, sim, 'br-dave');
      const user = sim.locator('.card.user[data-user="br-dave"]');
      await user.filter({ hasText: 'Signed in to:' }).waitFor();
      await app.locator('header').getByRole('button', { name: 'Log out' }).click();
      await app.getByText('You are logged out.').waitFor();
      assert.ok(await app.locator('header').getByRole('link', { name: 'Log in' }).isVisible());
      await user.filter({ hasText: 'No active sessions.' }).waitFor();
    });
  });

  test('"Log out from phone" in the simulator: the next page load is signed out', async () => {
    await h.emulator.linkUser('br-erin');
    await withPages('remote-logout', async (app, sim) => {
      await logInWithPush(app, sim, 'br-erin');
      const user = sim.locator('.card.user[data-user="br-erin"]');
      await user.filter({ hasText: 'Signed in to:' }).waitFor();
      await user.getByRole('button', { name: 'Log out from phone' }).click();
      await user.filter({ hasText: 'No active sessions.' }).waitFor();
      await app.goto(`${h.appUrl}/devices`);
      assert.equal(app.url(), `${h.appUrl}/login`);
      assert.equal(await app.getByTestId('notice').innerText(), 'You were logged out from your phone.');
      assert.ok(await app.locator('header').getByRole('link', { name: 'Log in' }).isVisible());
      await app.goto(`${h.appUrl}/`);
      assert.equal(await app.getByTestId('nav-username').count(), 0);
    });
  });

  test('TOTP: set it up on the TOTP page, then log in with the code the simulator shows', async () => {
    await h.emulator.linkUser('br-frank');
    await withPages('totp-login', async (app, sim) => {
      await logInWithPush(app, sim, 'br-frank');
      await app.goto(`${h.appUrl}/totp`);
      await app.getByRole('button', { name: 'Set up TOTP' }).click();
      assert.match((await app.getByTestId('totp-qr').getAttribute('src')) ?? '', /^data:image\/png;base64,/);
      assert.match(await app.getByTestId('totp-secret').innerText(), /^[A-Z2-7]{16,}$/);
      await app.locator('header').getByRole('button', { name: 'Log out' }).click();
      await app.getByText('You are logged out.').waitFor();

      const totp = sim.locator('[data-totp="br-frank"]');
      await totp.filter({ hasText: /^\d{6,8}$/ }).waitFor();
      await app.goto(`${h.appUrl}/login/totp`);
      await app.getByLabel('Username').fill('br-frank');
      await app.getByLabel('Code').fill(await totp.innerText());
      await app.getByRole('button', { name: 'Log in' }).click();
      await app.waitForURL(`${h.appUrl}/`);
      assert.equal(await app.getByTestId('home-username').innerText(), 'br-frank');
      assert.match(await app.locator('main').innerText(), /with a TOTP code/);
    });
  });

  test('devices page: link another device through the simulator, then unlink it', async () => {
    await h.emulator.linkUser('br-gina');
    await withPages('devices', async (app, sim) => {
      await logInWithPush(app, sim, 'br-gina');
      await app.goto(`${h.appUrl}/devices`);
      assert.equal(await app.locator('[data-testid="devices"] tbody tr').count(), 1);
      await app.getByRole('button', { name: 'Link another device' }).click();
      const code = (await app.getByTestId('link-code').innerText()).trim();
      await completeLink(sim, code);
      await app.waitForURL(`${h.appUrl}/devices`);
      const rows = app.locator('[data-testid="devices"] tbody tr');
      assert.equal(await rows.count(), 2);
      await rows.nth(1).getByRole('button', { name: 'Unlink' }).click();
      await app.getByText('Device unlinked.').waitFor();
      assert.equal(await rows.count(), 1);
    });
  });
});

describe('countdown (short ttl)', () => {
  let short: Harness;

  before(async () => {
    short = await startHarness({ loginTtlSeconds: 3 });
    await short.emulator.linkUser('br-slow');
  });

  after(async () => {
    await short?.close();
  });

  test('the countdown reaches zero and the page says the request expired', async () => {
    const { page, finish } = await newTracedContext(browser, 'countdown-expiry');
    try {
      await startLogin(page, short.appUrl, 'br-slow');
      const countdown = page.getByTestId('countdown');
      assert.match(await countdown.innerText(), /^0:0[0-3]$/);
      await page.locator('[data-testid="countdown"][data-expired="true"]').waitFor();
      assert.equal(await countdown.innerText(), '0:00');
      await page.getByTestId('login-status').filter({ hasText: 'expired' }).waitFor();
      assert.ok(await page.getByRole('link', { name: 'Try again' }).isVisible());
      assert.ok(!(await page.getByRole('button', { name: 'Cancel' }).isVisible()));
    } finally {
      await finish();
    }
  });
});
