/**
 * Login CSRF in a real browser: a page on another origin (a second loopback server, reached as `localhost` while
 * the app is `127.0.0.1`, so Chromium sends its real cross-site headers) auto-submits the app's login form with the
 * attacker's username. The app refuses it: the victim is not logged in, gets no session, and nothing is pushed.
 * Also the waiting page's "nothing on the phone?" hint, in emulator mode.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { startHarness, type Harness } from '../example-app/harness';
import { launchBrowser, newTracedContext } from './browser';
import { startLogin } from './flows';

let h: Harness;
let browser: Browser;
let attacker: Server;
let attackerUrl: string;

before(async () => {
  [h, browser] = await Promise.all([startHarness(), launchBrowser()]);
  await h.emulator.linkUser('csrf-attacker');
  attacker = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(`<!doctype html><html><body><h1>Win a prize</h1>
<form id="f" method="post" action="${h.appUrl}/login"><input type="hidden" name="username" value="csrf-attacker"></form>
<script>document.getElementById('f').submit();</script></body></html>`);
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerUrl = `http://localhost:${(attacker.address() as AddressInfo).port}/`;
});

after(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (attacker ? attacker.close(() => resolve()) : resolve()));
  await h?.close();
});

test(
  'a page on another site auto-submits the login form: 403, the victim is ' + 'not logged in, nothing is pushed',
  async () => {
    const { context, page, finish } = await newTracedContext(browser, 'cross-site-login');
    try {
      const refused = page.waitForResponse(
        (res) => res.url() === `${h.appUrl}/login` && res.request().method() === 'POST',
      );
      await page.goto(attackerUrl);
      const res = await refused;
      assert.equal(res.status(), 403);
      const sent = await res.request().allHeaders();
      assert.equal(sent['sec-fetch-site'], 'cross-site', 'Chromium said where the form came from');
      await page.waitForURL(`${h.appUrl}/login`);
      assert.match(await page.locator('body').innerText(), /Cross-site request refused/);

      assert.deepEqual(await h.control('GET', '/auths?user=csrf-attacker'), [], 'nothing pushed');
      assert.deepEqual(
        (await context.cookies(h.appUrl)).map((c) => c.name),
        [],
        'no session cookie set by the attack',
      );
      await page.goto(`${h.appUrl}/`);
      assert.equal(await page.getByTestId('nav-username').count(), 0, 'not logged in');
      const me = await page.evaluate(`fetch('/me', { headers: { accept: 'application/json' } }).then((r) => r.status)`);
      assert.equal(me, 401);
    } finally {
      await finish();
    }
  },
);

test(
  'emulator mode: a login that sends nothing shows the "nothing on the ' + 'phone?" hint with the simulator link',
  async () => {
    const { page, finish } = await newTracedContext(browser, 'phone-hint');
    try {
      await startLogin(page, h.appUrl, 'nobody-by-that-name');
      const hint = page.getByTestId('phone-hint');
      assert.equal(await hint.isVisible(), false, 'not at once');
      await hint.waitFor({ state: 'visible', timeout: 8000 });
      assert.match(await hint.innerText(), /^Nothing on the phone\?/);
      assert.equal(
        await hint.getByRole('link', { name: 'device simulator' }).getAttribute('href'),
        `${h.emulatorUrl}/_emulator/`,
      );
    } finally {
      await finish();
    }
  },
);
