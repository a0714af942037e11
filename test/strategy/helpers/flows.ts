/** Browser-side steps shared by the strategy tests (supertest agents are browser sessions). */
import assert from 'node:assert/strict';
import request from 'supertest';
import { eventually } from '../../fixtures/eventually';
import type { Phone } from './emulator';

/** A browser session on a test app. */
export type Browser = ReturnType<typeof request.agent>;

/** Starts a push login (JSON client) and checks the pending answer. */
export async function startPush(browser: Browser, username: string): Promise<void> {
  const res = await browser.post('/login').set('Accept', 'application/json').send({ username });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  assert.deepEqual(res.body, { status: 'pending' });
}

/** Reads the live status without waiting. */
export async function statusNow(browser: Browser): Promise<{ code: number; body: Record<string, unknown> }> {
  const res = await browser.get('/login/status?wait=0').set('Accept', 'application/json');
  return { code: res.status, body: res.body as Record<string, unknown> };
}

/** A full push login approved on the phone (through whatever path is configured); returns the auth request id. */
export async function logInWithPush(browser: Browser, phone: Phone, username: string): Promise<string> {
  await startPush(browser, username);
  const id = await phone.answer(username, 'approve');
  const res = await browser.get('/login/status').set('Accept', 'application/json');
  assert.equal(res.status, 200);
  assert.equal(res.body.status, 'authorized');
  const me = await browser.get('/me');
  assert.equal(me.status, 200);
  // The TruValidate session starts in the background: wait until the device lists it (a phone logout ends it).
  await eventually(
    () => phone.sessionsOf(username),
    (sessions) => sessions.some((s) => s.authRequest === id),
  );
  return id;
}
