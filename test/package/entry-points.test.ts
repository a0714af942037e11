// The built package loads from both `require()` and `import` on Node 20, through the package's own name
// (package.json "exports"), and both paths share one copy of every class.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');

function run(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();
}

test('dist is built (npm test runs `npm run build` first)', () => {
  assert.ok(existsSync(path.join(root, 'dist', 'cjs', 'index.js')), 'run `npm run build` before the tests');
});

test('require() of every entry point', () => {
  const out = run([
    '-e',
    `
    const main = require('passport-truvalidate');
    const sdk = require('passport-truvalidate/sdk');
    const emu = require('passport-truvalidate/emulator');
    console.log(JSON.stringify([typeof main.TruValidateStrategy, typeof sdk.ServiceFactory, typeof emu.startEmulator,
      main.sdk.ServiceFactory === sdk.ServiceFactory]));
  `,
  ]);
  assert.deepEqual(JSON.parse(out), ['function', 'function', 'function', true]);
});

test('import of every entry point shares the CommonJS classes', () => {
  const out = run([
    '--input-type=module',
    '-e',
    `
    import { TruValidateStrategy, sdk as nested } from 'passport-truvalidate';
    import { ServiceFactory, EntityKeyNotFound } from 'passport-truvalidate/sdk';
    import { startEmulator } from 'passport-truvalidate/emulator';
    import { createRequire } from 'node:module';
    const req = createRequire(import.meta.url);
    console.log(JSON.stringify([typeof TruValidateStrategy, typeof ServiceFactory, typeof startEmulator,
      nested.ServiceFactory === ServiceFactory,
      req('passport-truvalidate/sdk').EntityKeyNotFound === EntityKeyNotFound]));
  `,
  ]);
  assert.deepEqual(JSON.parse(out), ['function', 'function', 'function', true, true]);
});
