/**
 * The user flows of the example app as a person does them in a browser: the app in one page, the emulator's
 * device simulator (the "phone") in another. Used by the browser tests and by `scripts/readme-images.ts`.
 */
import type { Locator, Page } from 'playwright-core';

/** Opens the sign-up page, submits `username`, and returns the linking code shown with the QR image. */
export async function signUp(page: Page, appUrl: string, username: string): Promise<string> {
  await page.goto(`${appUrl}/signup`);
  await page.getByLabel('Username').fill(username);
  await page.getByRole('button', { name: 'Create account' }).click();
  const code = page.getByTestId('link-code');
  await code.waitFor();
  return (await code.textContent())?.trim() ?? '';
}

/** The card of a pending device link in the simulator, by its code. */
export function linkCard(sim: Page, code: string): Locator {
  return sim.locator(`.card.link[data-code="${code}"]`);
}

/** Presses "Complete link" for `code` in the device simulator. */
export async function completeLink(sim: Page, code: string): Promise<void> {
  const card = linkCard(sim, code);
  await card.getByRole('button', { name: 'Complete link' }).click();
  await card.waitFor({ state: 'detached' });
}

/** Opens the login page, submits `username` and waits for the waiting page. */
export async function startLogin(page: Page, appUrl: string, username: string): Promise<void> {
  await page.goto(`${appUrl}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByRole('button', { name: 'Send push' }).click();
  await page.waitForURL(/\/login\/wait/);
}

/** The card of the (single) pending push of `username` in the simulator; waits until it shows. */
export async function pushCard(sim: Page, username: string): Promise<Locator> {
  const card = sim
    .locator('.card.push')
    .filter({ hasText: `For ${username} ` })
    .first();
  await card.waitFor();
  return card;
}

/** Opens the device simulator page of the emulator. */
export async function openSimulator(sim: Page, emulatorUrl: string): Promise<void> {
  await sim.goto(`${emulatorUrl}/_emulator/`);
  await sim.locator('#status').filter({ hasText: 'Updated' }).waitFor();
}
