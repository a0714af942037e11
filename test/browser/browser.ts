/**
 * Browser helper of the browser tests: `playwright-core` driving Debian's Chromium (`/usr/bin/chromium`, headless,
 * never downloaded). Artifacts (screenshots, traces) go to `test-artifacts/browser/` (git-ignored).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Where the browser tests write screenshots and traces. */
export const ARTIFACTS_DIR = path.join(__dirname, '..', '..', 'test-artifacts', 'browser');

/** Chromium flags for a quiet, offline, sandbox-free headless run (CI containers run as root). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium from `CHROMIUM_PATH` (default `/usr/bin/chromium`). */
export function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/** A browser context (its own cookies = its own browser session) with tracing on; `finish` saves the trace. */
export async function newTracedContext(
  browser: Browser,
  name: string,
): Promise<{
  context: BrowserContext;
  page: Page;
  finish(): Promise<void>;
}> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  context.setDefaultTimeout(10_000);
  await context.tracing.start({ screenshots: false, snapshots: true });
  const page = await context.newPage();
  return {
    context,
    page,
    finish: async () => {
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true }).catch(() => undefined);
      await context.tracing.stop({ path: path.join(ARTIFACTS_DIR, `${name}.trace.zip`) }).catch(() => undefined);
      await context.close();
    },
  };
}
