/** The simulator page in Chromium never shows the TOTP code of a replaced secret. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { totpCode } from '../../lib/emulator/domain/totp';
import type { TotpRecord } from '../../lib/emulator/state/types';
import { launchBrowser } from '../browser/browser';
import { Fixture } from './helpers/fixture';

let fx: Fixture;
let browser: Browser;

before(async () => {
  // Started one after the other, so that a browser that fails to launch leaves no emulator running.
  fx = await Fixture.start();
  browser = await launchBrowser();
  await fx.emu.linkUser('tina');
});
after(async () => {
  // Either may have failed to start: close what exists, so that the process can end and report the failure.
  await (browser as Browser | undefined)?.close();
  await (fx as Fixture | undefined)?.close();
});

/** Codes a secret may show around now (one step either side, as the page and the test are not in lockstep). */
function codesOf(secret: string): Set<string> {
  const totp: TotpRecord = { secret, algorithm: 'SHA1', digits: 6, period: 30 };
  const now = Math.floor(Date.now() / 1000);
  return new Set([-30, 0, 30, 60].map((d) => totpCode(totp, now + d)));
}

async function newSecret(): Promise<string> {
  const res = await fx.call('dir', 'POST', '/directory/v3/totp', { identifier: 'tina' });
  assert.equal(res.status, 200);
  return (res.data as { secret: string }).secret;
}

/** Waits (real time, polling from here) until `check` holds for the text of tina's code, or null when absent. */
async function waitForCode(page: Page, check: (text: string | null) => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const span = await page.$('[data-totp="tina"]');
    const text = span ? await span.textContent() : null;
    if (check(text)) return;
    if (Date.now() > deadline) throw new Error(`tina's code never matched; last ${String(text)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('after a new secret the page shows only codes of the new secret', async () => {
  const page = await browser.newPage();
  try {
    const first = codesOf(await newSecret());
    await page.goto(fx.emu.simulatorUrl);
    await waitForCode(page, (t) => t !== null && first.has(t));
    // Record every text the code takes from now on, including codes of spans that are built and replaced.
    await page.evaluate(`(() => {
      window.seen = [];
      const users = document.getElementById('users');
      new MutationObserver(() => {
        users.querySelectorAll('[data-totp]').forEach((n) => window.seen.push(n.textContent));
      }).observe(users, { childList: true, subtree: true, characterData: true });
    })()`);
    // Removed, then set up again (the page sees the user without TOTP in between), then replaced in place.
    assert.equal((await fx.call('dir', 'DELETE', '/directory/v3/totp', { identifier: 'tina' })).status, 204);
    await waitForCode(page, (t) => t === null);
    let second = codesOf(await newSecret());
    await waitForCode(page, (t) => t !== null && second.has(t));
    const third = codesOf(await newSecret());
    await waitForCode(page, (t) => t !== null && third.has(t));
    second = new Set([...second].filter((c) => !third.has(c)));
    const seen = (await page.evaluate('window.seen')) as string[];
    const stale = seen.filter((c) => first.has(c) && !third.has(c));
    assert.deepEqual(stale, [], `codes of the removed secret shown after removal: ${seen.join(' ')}`);
    assert.ok(seen.length > 0);
  } finally {
    await page.close();
  }
});
