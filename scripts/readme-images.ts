/**
 * `npm run readme-images`: regenerates the README screenshots in `docs/images/` from the same browser flows as the
 * browser tests (real emulator, real app, Debian's Chromium): the login page, the waiting page next to the device
 * simulator with the push, and the signed-in home page.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startHarness } from '../test/example-app/harness';
import { launchBrowser } from '../test/browser/browser';
import { openSimulator, pushCard, startLogin } from '../test/browser/flows';

const OUT_DIR = path.join(__dirname, '..', 'docs', 'images');
const USER = 'alice';

async function shot(page: Page): Promise<Buffer> {
  return page.screenshot({ type: 'png' });
}

/** Two screenshots side by side, with captions, rendered by the browser itself. */
async function sideBySide(page: Page, left: Buffer, leftCaption: string, right: Buffer, rightCaption: string): Promise<Buffer> {
  const img = (png: Buffer, caption: string): string =>
    `<figure><img src="data:image/png;base64,${png.toString('base64')}"><figcaption>${caption}</figcaption></figure>`;
  await page.setViewportSize({ width: 1500, height: 700 });
  await page.setContent(`<!doctype html><html><body style="margin:0;padding:16px;background:#e6e9ef;display:flex;gap:16px;
    font:15px system-ui,sans-serif">
    <style>figure{margin:0;flex:1} img{width:100%;border:1px solid #c5ccd8;border-radius:8px;display:block}
    figcaption{text-align:center;color:#384152;margin-top:6px}</style>
    ${img(left, leftCaption)}${img(right, rightCaption)}</body></html>`);
  await page.locator('img').nth(1).evaluate((el) => (el as unknown as { decode(): Promise<void> }).decode());
  return page.locator('body').screenshot({ type: 'png' });
}

async function main(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  const [h, browser] = await Promise.all([startHarness(), launchBrowser()]);
  try {
    await h.emulator.linkUser(USER);
    const context = await browser.newContext({ viewport: { width: 900, height: 620 } });
    context.setDefaultTimeout(10_000);
    const app = await context.newPage();
    const sim = await context.newPage();
    await openSimulator(sim, h.emulatorUrl);

    await app.goto(`${h.appUrl}/login`);
    await app.getByLabel('Username').fill(USER);
    writeFileSync(path.join(OUT_DIR, 'login.png'), await shot(app));

    await startLogin(app, h.appUrl, USER);
    const card = await pushCard(sim, USER);
    await app.waitForTimeout(1200); // let the countdown tick once
    const waiting = await shot(app);
    const simulator = await shot(sim);
    const composer = await context.newPage();
    writeFileSync(path.join(OUT_DIR, 'waiting-and-simulator.png'),
      await sideBySide(composer, waiting, 'The app waits for the phone', simulator, 'The device simulator plays the phone'));

    await card.getByRole('button', { name: 'Approve' }).click();
    await app.waitForURL(`${h.appUrl}/`);
    writeFileSync(path.join(OUT_DIR, 'home.png'), await shot(app));
    await context.close();
    console.log(`readme-images: wrote login.png, waiting-and-simulator.png, home.png to ${path.relative(process.cwd(), OUT_DIR)}`);
  } finally {
    await browser.close();
    await h.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
