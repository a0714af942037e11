/**
 * Without the optional `qrcode` package, a terminal gets the code or secret and a one-line install hint on stderr
 * instead of a QR code. The built command runs from a copy of the package whose node_modules lacks `qrcode` (the
 * other packages are linked), under `script` so that stdout is a terminal.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CliFixture, ROOT } from './helpers';

const execFileAsync = promisify(execFile);

let f: CliFixture;
let copy: string;
before(async () => {
  f = await CliFixture.start();
  copy = mkdtempSync(join(tmpdir(), 'tv-cli-noqr-'));
  mkdirSync(join(copy, 'node_modules'));
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name !== 'qrcode' && name !== '.bin')
      symlinkSync(join(ROOT, 'node_modules', name), join(copy, 'node_modules', name));
  }
  cpSync(join(ROOT, 'dist', 'cjs'), join(copy, 'dist', 'cjs'), { recursive: true });
  cpSync(join(ROOT, 'bin', 'truvalidate.js'), join(copy, 'bin', 'truvalidate.js'));
});
after(async () => {
  await f.close();
  rmSync(copy, { recursive: true, force: true });
});

test('generate-user-totp on a terminal without qrcode: the secret and the `npm install qrcode` hint', async () => {
  assert.ok(existsSync(join(ROOT, 'dist', 'cjs', 'cli', 'main.js')), 'run `npm run build` before the tests');
  assert.throws(() => require.resolve('qrcode', { paths: [join(copy, 'dist', 'cjs', 'cli')] }), {
    code: 'MODULE_NOT_FOUND',
  });
  const args = [
    process.execPath,
    join(copy, 'bin', 'truvalidate.js'),
    ...f.asDirectory,
    'generate-user-totp',
    f.emu.directory.id,
    'zoe',
  ];
  const command = args.map((s) => `'${s.replace(/'/g, `'\\''`)}'`).join(' ');
  const { stdout } = await execFileAsync('script', ['-qec', command, '/dev/null'], { cwd: copy, timeout: 60_000 });
  const lines = stdout.replace(/\r\n/g, '\n').split('\n');
  assert.equal(lines[0], 'TOTP generated for the user: add the secret to an authenticator app, or scan the QR code.');
  assert.match(lines[1]!, /^ {2}Secret: {5}[A-Z2-7]{32}$/);
  assert.ok(
    lines.includes('truvalidate: install the optional `qrcode` package to see QR codes here: npm install qrcode'),
    stdout,
  );
  assert.ok(!stdout.includes('\u2584') && !stdout.includes('TOTP secret as a QR code'), stdout);
});
