/**
 * `npm start` failing to start: the real `example-app/main.ts` in a child process, with a port really taken (a
 * loopback server of this test), a missing key file, a file that holds no PEM. Each exits 1 with one line naming
 * the port or file and the variable to change.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
let taken: Server;
let takenPort: number;
let dataDir: string;

before(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'example-startup-'));
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  takenPort = (taken.address() as AddressInfo).port;
});

after(async () => {
  await new Promise<void>((resolve) => taken.close(() => resolve()));
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs main.ts with `env` until it exits (at most 60 s); its exit code and output. */
function runMain(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'example-app/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '',
        EMULATOR_PORT: '0',
        PORT: '0',
        EMULATOR_DATA: path.join(dataDir, 'emulator'),
        APP_DATA: path.join(dataDir, 'app'),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`main.ts did not exit within 60 s; stdout: ${stdout}; stderr: ${stderr}`));
    }, 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The one line of stderr (fails when there is more than one). */
function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${stderr}`);
  return lines[0] ?? '';
}

test('PORT taken: exit 1, one line naming the port and PORT; nothing says it is listening', async () => {
  const { code, stdout, stderr } = await runMain({ PORT: String(takenPort) });
  assert.equal(code, 1);
  const line = oneLine(stderr);
  assert.match(
    line,
    new RegExp(`^Could not start the example app: Port ${takenPort} on 127\\.0\\.0\\.1 is already in use`),
  );
  assert.match(line, new RegExp(`set PORT to a free port \\(e\\.g\\. PORT=${takenPort + 1}\\)`));
  assert.doesNotMatch(stdout, /TruValidate example app/, 'no "listening" banner');
});

test('EMULATOR_PORT taken: exit 1, one line naming the port and EMULATOR_PORT', async () => {
  const { code, stderr } = await runMain({ EMULATOR_PORT: String(takenPort) });
  assert.equal(code, 1);
  const line = oneLine(stderr);
  assert.match(
    line,
    new RegExp(`Port ${takenPort} on 127\\.0\\.0\\.1 is already in use, so the emulator cannot listen`),
  );
  assert.match(line, /set EMULATOR_PORT to a free port/);
});

test('a key file that does not exist, or holds no PEM: exit 1, one line naming the file and the variable', async () => {
  const creds = {
    TRUVALIDATE_API_URL: 'https://api.example.test',
    TRUVALIDATE_SERVICE_ID: '00000000-0000-0000-0000-000000000000',
  };
  const missing = path.join(dataDir, 'no-such-key.pem');
  const gone = await runMain({ ...creds, TRUVALIDATE_PRIVATE_KEY: missing });
  assert.equal(gone.code, 1);
  assert.equal(
    oneLine(gone.stderr),
    `Could not start the example app: Cannot read ${missing} (TRUVALIDATE_PRIVATE_KEY): ` +
      'it does not exist. Set TRUVALIDATE_PRIVATE_KEY to a readable path.',
  );

  const notPem = path.join(dataDir, 'not-a-key.txt');
  writeFileSync(notPem, 'hello\n');
  const bad = await runMain({ ...creds, TRUVALIDATE_PRIVATE_KEY: notPem });
  assert.equal(bad.code, 1);
  assert.match(
    oneLine(bad.stderr),
    new RegExp(`${notPem.replace(/[.]/g, '\\.')} \\(TRUVALIDATE_PRIVATE_KEY\\) holds no PEM key`),
  );
});

test('a PORT that is not a port number: exit 1, one line', async () => {
  const { code, stderr } = await runMain({ PORT: 'eighty' });
  assert.equal(code, 1);
  assert.equal(
    oneLine(stderr),
    'Could not start the example app: PORT must be a port number (0 to 65535), got "eighty".',
  );
});

test('npm run reset (example-app/reset.ts) removes the emulator data and the accounts', async () => {
  const { mkdirSync } = await import('node:fs');
  const emulatorDir = path.join(dataDir, 'reset-emulator');
  const appDir = path.join(dataDir, 'reset-app');
  mkdirSync(emulatorDir, { recursive: true });
  mkdirSync(appDir, { recursive: true });
  writeFileSync(path.join(emulatorDir, 'state.json'), '{}');
  writeFileSync(path.join(appDir, 'accounts.json'), '[]');
  const out = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'example-app/reset.ts'], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', EMULATOR_DATA: emulatorDir, APP_DATA: appDir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout }));
  });
  assert.equal(out.code, 0);
  assert.equal(existsSync(emulatorDir), false);
  assert.equal(existsSync(appDir), false);
  assert.match(out.stdout, new RegExp(`removed ${emulatorDir.replace(/[.]/g, '\\.')} \\(EMULATOR_DATA\\)`));
  assert.match(out.stdout, /every name is free again/);
});
