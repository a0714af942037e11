/**
 * The example app's pages as a newcomer meets them in Chromium: a 404 page, the login redirect that comes back to
 * the page asked for (`/me`, `/devices`), two tabs waiting for one login, reloads after each form post (nothing is
 * repeated), and every page at a phone's width (375 px) without horizontal overflow.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { totpCode } from '../../lib/emulator/domain/totp';
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
    await finish();
  }
}

/** Approves the pending push of `user` in the simulator. */
async function approve(sim: Page, user: string): Promise<void> {
  const card = await pushCard(sim, user);
  await card.getByRole('button', { name: 'Approve' }).click();
}

describe('pages in Chromium', () => {
  test("an unknown path shows the app's 404 page", async () => {
    await withPages('not-found', async (app) => {
      const res = await app.goto(`${h.appUrl}/no/such/page`);
      assert.equal(res?.status(), 404);
      assert.equal(await app.locator('h1').innerText(), 'Not found');
      assert.equal(await app.getByTestId('error-message').innerText(), 'There is no page at /no/such/page.');
      assert.ok(await app.locator('header').getByRole('link', { name: 'Log in' }).isVisible());
    });
  });

  test('/me and /devices without a session go to the login page, and back there after the login', async () => {
    await h.emulator.linkUser('pg-rita');
    await withPages('login-redirect', async (app, sim) => {
      await app.goto(`${h.appUrl}/me`);
      assert.equal(app.url(), `${h.appUrl}/login`);
      assert.equal(await app.getByTestId('notice').innerText(), 'Log in first.');
      await app.getByLabel('Username').fill('pg-rita');
      await app.getByRole('button', { name: 'Send push' }).click();
      await app.waitForURL(/\/login\/wait$/);
      await approve(sim, 'pg-rita');
      await app.waitForURL(`${h.appUrl}/me`);
      assert.equal(JSON.parse(await app.locator('body').innerText()).username, 'pg-rita');
    });
  });

  test('two tabs: the tab still waiting when the other completed the login lands on the home page', async () => {
    await h.emulator.linkUser('pg-tabs');
    await withPages('two-tabs', async (tabA, sim) => {
      const tabB = await tabA.context().newPage();
      await startLogin(tabA, h.appUrl, 'pg-tabs');
      await tabB.goto(`${h.appUrl}/login/wait`);
      await tabB.getByTestId('login-status').filter({ hasText: 'Waiting for your approval' }).waitFor();
      await approve(sim, 'pg-tabs');
      await tabA.waitForURL(`${h.appUrl}/`);
      await tabB.waitForURL(`${h.appUrl}/`);
      assert.equal(await tabA.getByTestId('home-username').innerText(), 'pg-tabs');
      assert.equal(await tabB.getByTestId('home-username').innerText(), 'pg-tabs');
      await tabB.screenshot({ path: path.join(ARTIFACTS_DIR, 'two-tabs.tab-b.png') });
    });
  });

  test('reloads after form posts repeat nothing: sign-up link page, TOTP page, failed login', async () => {
    await withPages('reload-after-post', async (app, sim) => {
      const code = await signUp(app, h.appUrl, 'pg-reload');
      assert.equal(app.url(), `${h.appUrl}/signup/link`);
      await app.reload();
      assert.equal((await app.getByTestId('link-code').innerText()).trim(), code, 'the same code after a reload');
      const links = await h.control<{ identifier: string }[]>('GET', '/links');
      assert.equal(links.filter((l) => l.identifier === 'pg-reload').length, 1, 'no second link started');
      await completeLink(sim, code);
      await app.waitForURL(/\/login\?username=pg-reload$/);

      await app.getByRole('button', { name: 'Send push' }).click();
      await app.waitForURL(/\/login\/wait$/);
      await approve(sim, 'pg-reload');
      await app.waitForURL(`${h.appUrl}/`);

      await app.goto(`${h.appUrl}/totp`);
      assert.equal(await app.getByRole('button', { name: 'Remove TOTP' }).count(), 0);
      await app.getByRole('button', { name: 'Set up TOTP' }).click();
      await app.waitForURL(`${h.appUrl}/totp`);
      const secret = await app.getByTestId('totp-secret').innerText();
      assert.equal(await app.getByRole('button', { name: 'Set up TOTP' }).count(), 0, 'only what applies: remove');
      await app.reload();
      assert.equal(await app.getByTestId('totp-secret').count(), 0, 'the secret is shown once');
      assert.match(await app.getByTestId('totp-state').innerText(), /TOTP is set up/);
      const emulatorCode = (await h.control<{ code: string }>('GET', '/totp/pg-reload')).code;
      const now = Math.floor(Date.now() / 1000);
      const codes = [now - 1, now, now + 1].map((t) =>
        totpCode({ secret, algorithm: 'SHA1', digits: 6, period: 30 }, t),
      );
      assert.ok(codes.includes(emulatorCode), 'the reload did not replace the secret');

      await app.locator('header').getByRole('button', { name: 'Log out' }).click();
      await app.goto(`${h.appUrl}/login/totp`);
      await app.getByLabel('Username').fill('pg-reload');
      await app.getByLabel('Code').fill(emulatorCode === '000000' ? '111111' : '000000');
      await app.getByRole('button', { name: 'Log in' }).click();
      await app.getByTestId('login-error').waitFor();
      assert.equal(app.url(), `${h.appUrl}/login/totp`);
      const reload = await app.reload();
      assert.equal(reload?.status(), 200, 'a GET: nothing re-sent');
      assert.equal(await app.getByTestId('login-error').count(), 0);
    });
  });
});

describe('phone width (375 px)', () => {
  test('no page scrolls sideways at 375 px, and none breaks the Content-Security-Policy', async () => {
    const user = 'mobile.maximilian-longname@example.org';
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 1 });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const sim = await context.newPage();
    const widths: Record<string, number> = {};
    // Console errors: a Content-Security-Policy violation ("Refused to ...") or a failed load would show here.
    const consoleErrors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !/status of 404/.test(msg.text())) consoleErrors.push(msg.text());
    });
    const measure = async (name: string): Promise<void> => {
      // The page's own width: what scrolls sideways if it is more than the viewport.
      widths[name] = (await page.evaluate('document.documentElement.scrollWidth')) as number;
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, `mobile-${name}.png`), fullPage: true });
    };
    try {
      await openSimulator(sim, h.emulatorUrl);
      for (const [name, url] of [
        ['home', '/'],
        ['login', '/login'],
        ['signup', '/signup'],
        ['totp-login', '/login/totp'],
        ['not-found', '/nothing-here'],
      ] as const) {
        await page.goto(`${h.appUrl}${url}`);
        await measure(name);
      }
      const code = await signUp(page, h.appUrl, user);
      await measure('signup-link');
      await completeLink(sim, code);
      await page.waitForURL(/\/login\?username=/);
      await page.getByRole('button', { name: 'Send push' }).click();
      await page.waitForURL(/\/login\/wait$/);
      await page
        .getByTestId('countdown')
        .filter({ hasText: /\d:\d\d/ })
        .waitFor();
      await measure('waiting');
      await approve(sim, user);
      await page.waitForURL(`${h.appUrl}/`);
      await measure('home-signed-in');
      await page.goto(`${h.appUrl}/devices`);
      await measure('devices');
      await page.getByRole('button', { name: 'Link another device' }).click();
      await page.getByTestId('link-code').waitFor();
      await measure('devices-link');
      await page.goto(`${h.appUrl}/totp`);
      await page.getByRole('button', { name: 'Set up TOTP' }).click();
      await page.getByTestId('totp-secret').waitFor();
      await measure('totp');
      await page.goto(`${h.appUrl}/account`);
      await measure('account');
      for (const [name, width] of Object.entries(widths))
        assert.ok(width <= 375, `${name}: scrollWidth ${width} > 375`);
      assert.equal(Object.keys(widths).length, 12);
      assert.deepEqual(consoleErrors, [], 'no CSP violation nor failed load on any page');
    } finally {
      await context.close();
    }
  });
});
