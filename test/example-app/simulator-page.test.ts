/** The device simulator page is one self-contained document, served by the emulator at `GET /_emulator/`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { startTestEmulator } from '../fixtures/emulator';
import { simulatorPage } from '../../lib/emulator/device/page';

test('simulatorPage() is self-contained HTML with a script that parses', () => {
  const page = simulatorPage();
  assert.match(page, /^<!doctype html>/);
  assert.doesNotMatch(page, /<script[^>]+src=/i, 'no external scripts');
  assert.doesNotMatch(page, /<link[^>]+stylesheet/i, 'no external stylesheets');
  const scripts = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
  assert.equal(scripts.length, 1);
  assert.doesNotThrow(() => new vm.Script(scripts[0] ?? ''), 'the inline script is valid JavaScript');
  for (const path of ['/users', '/auths', '/links', '/devices/link', '/logout', '/respond']) {
    assert.ok(page.includes(path), `uses the control API ${path}`);
  }
});

test('the emulator serves it at GET /_emulator/', async () => {
  const emulator = await startTestEmulator();
  try {
    const res = await fetch(`${emulator.url}/_emulator/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(await res.text(), simulatorPage());
  } finally {
    await emulator.close();
  }
});
