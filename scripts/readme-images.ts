/**
 * `npm run readme-images`: regenerates the README screenshots in `docs/images/` from the same browser flows as the
 * browser tests (real emulator, real app, Debian's Chromium): the login page, the waiting page next to the device
 * simulator with the push, the signed-in home page, and the waiting and home pages at a phone's width (375 px,
 * `mobile.png`; the script fails if a page scrolls sideways there).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startHarness } from '../test/example-app/harness';
import { launchBrowser } from '../test/browser/browser';
import { openSimulator, pushCard, startLogin } from '../test/browser/flows';

const OUT_DIR = path.join(__dirname, '..', 'docs', 'images');
const USER = 'alice';
const MOBILE_USER = 'bob';
const MOBILE_WIDTH = 375;

async function shot(page: Page): Promise<Buffer> {
  return page.screenshot({ type: 'png' });
}

/** A screenshot at the phone width, after checking that the page does not scroll sideways. */
async function phoneShot(page: Page, name: string): Promise<Buffer> {
  const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
  if (width > MOBILE_WIDTH) throw new Error(`${name} is ${width} px wide at ${MOBILE_WIDTH} px: it scrolls sideways`);
  return page.screenshot({ type: 'png' });
}

/** Two screenshots side by side, with captions, rendered by the browser itself. */
async function sideBySide(
  page: Page,
  left: Buffer,
  leftCaption: string,
  right: Buffer,
  rightCaption: string,
  width = 1500,
): Promise<Buffer> {
  const img = (png: Buffer, caption: string): string =>
    `<figure><img src="data:image/png;base64,${png.toString('base64')}"><figcaption>${caption}</figcaption></figure>`;
  await page.setViewportSize({ width, height: 700 });
  await page.setContent(`<!doctype html><html><body style="margin:0;padding:16px;background:#e6e9ef;display:flex;
    gap:16px;font:15px system-ui,sans-serif">
    <style>figure{margin:0;flex:1} img{width:100%;border:1px solid #c5ccd8;border-radius:8px;display:block}
    figcaption{text-align:center;color:#384152;margin-top:6px}</style>
    ${img(left, leftCaption)}${img(right, rightCaption)}</body></html>`);
  await page
    .locator('img')
    .nth(1)
    .evaluate((el) => (el as unknown as { decode(): Promise<void> }).decode());
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
    writeFileSync(
      path.join(OUT_DIR, 'waiting-and-simulator.png'),
      await sideBySide(
        composer,
        waiting,
        'The app waits for the phone',
        simulator,
        'The device simulator plays the phone',
      ),
    );

    await card.getByRole('button', { name: 'Approve' }).click();
    await app.waitForURL(`${h.appUrl}/`);
    writeFileSync(path.join(OUT_DIR, 'home.png'), await shot(app));
    await context.close();

    await h.emulator.linkUser(MOBILE_USER);
    const phone = await browser.newContext({ viewport: { width: MOBILE_WIDTH, height: 667 }, deviceScaleFactor: 2 });
    phone.setDefaultTimeout(10_000);
    const small = await phone.newPage();
    const phoneSim = await phone.newPage();
    await openSimulator(phoneSim, h.emulatorUrl);
    await startLogin(small, h.appUrl, MOBILE_USER);
    const phoneCard = await pushCard(phoneSim, MOBILE_USER);
    await small.waitForTimeout(1200);
    const phoneWaiting = await phoneShot(small, 'the waiting page');
    await phoneCard.getByRole('button', { name: 'Approve' }).click();
    await small.waitForURL(`${h.appUrl}/`);
    const phoneHome = await phoneShot(small, 'the home page');
    const phoneComposer = await phone.newPage();
    writeFileSync(
      path.join(OUT_DIR, 'mobile.png'),
      await sideBySide(
        phoneComposer,
        phoneWaiting,
        'Waiting, on a phone',
        phoneHome,
        'Signed in, on a phone',
        2 * MOBILE_WIDTH + 80,
      ),
    );
    await phone.close();
    console.log(
      'readme-images: wrote login.png, waiting-and-simulator.png, home.png, mobile.png to ' +
        path.relative(process.cwd(), OUT_DIR),
    );
  } finally {
    await browser.close();
    await h.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
