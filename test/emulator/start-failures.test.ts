/** Start-up failures: a taken port or an unusable data folder end the command with one clear line and code 1. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatorStartError, startEmulator } from '../../lib/emulator';

const bin = join(__dirname, '..', '..', 'bin', 'truvalidate-emulator.js');

/** Runs the command to its end: exit code, stdout and stderr. */
function runCli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, TRUVALIDATE_EMULATOR_FROM_SOURCE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

describe('start-up failures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tv-emu-start-'));
  let occupied: Server;
  let port: number;

  before(async () => {
    occupied = createServer();
    await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', resolve));
    port = (occupied.address() as { port: number }).port;
  });
  after(async () => {
    await new Promise<void>((resolve) => occupied.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  test('the command on a taken port exits 1 with one line naming the port and --port', async () => {
    const { code, out, err } = await runCli(['--port', String(port), '--data', join(dir, 'a')]);
    assert.equal(code, 1);
    assert.equal(out, '');
    assert.equal(
      err,
      `truvalidate-emulator: port ${port} on 127.0.0.1 is already in use; ` +
        'choose another port with --port N (0 picks a free one)\n',
    );
  });

  test('startEmulator on a taken port rejects with ERR_TRUVALIDATE_EMULATOR_PORT_IN_USE', async () => {
    await assert.rejects(
      startEmulator({ port }),
      (e: unknown) =>
        e instanceof EmulatorStartError &&
        e.code === 'ERR_TRUVALIDATE_EMULATOR_PORT_IN_USE' &&
        e.port === port &&
        e.message === `port ${port} on 127.0.0.1 is already in use`,
    );
  });

  test('a data folder that is a file exits 1 with one line naming it and --data', async () => {
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    const { code, out, err } = await runCli(['--port', '0', '--data', file]);
    assert.equal(code, 1);
    assert.equal(out, '');
    assert.match(
      err,
      /^truvalidate-emulator: cannot use the data folder .*not-a-folder: .*; choose another folder with --data DIR\n$/,
    );
  });

  test('a state.json that is not JSON exits 1 naming the file', async () => {
    const folder = join(dir, 'broken');
    mkdirSync(folder);
    writeFileSync(join(folder, 'state.json'), '{ half');
    const { code, err } = await runCli(['--port', '0', '--data', folder]);
    assert.equal(code, 1);
    assert.equal(err.split('\n').length, 2, err);
    assert.match(
      err,
      /state\.json is not valid JSON \(delete it to start fresh\); choose another folder with --data DIR\n$/,
    );
    await assert.rejects(
      startEmulator({ port: 0, dataDir: folder }),
      (e: unknown) =>
        e instanceof EmulatorStartError && e.code === 'ERR_TRUVALIDATE_EMULATOR_DATA_DIR' && e.path === folder,
    );
  });
});
