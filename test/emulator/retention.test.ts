/**
 * The emulator keeps up: state saved asynchronously and coalesced, nothing lost on close or on a signal to the
 * command, and finished authorization requests, expired link codes and the webhook log bounded.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../lib/emulator';
import type { StateData } from '../../lib/emulator/state/types';
import { Fixture } from './helpers/fixture';
import { startReceiver, type Receiver } from './helpers/receiver';

const dir = mkdtempSync(join(tmpdir(), 'tv-emu-retention-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function readState(dataDir: string): StateData {
  return JSON.parse(readFileSync(join(dataDir, 'state.json'), 'utf8')) as StateData;
}

describe('saving the state', () => {
  test('200 changes in a row are saved by one write, and close() writes them all', async () => {
    const dataDir = join(dir, 'many');
    const emu = await startEmulator({ port: 0, dataDir });
    const before = emu.state.writes;
    for (let i = 0; i < 200; i++) await emu.linkUser(`user-${i}`);
    assert.equal(emu.state.writes, before, 'no write happens while the changes come in');
    await emu.close();
    assert.equal(emu.state.writes, before + 1);
    const users = readState(dataDir).users.map((u) => u.identifier);
    assert.equal(users.length, 200);
    assert.deepEqual(users.slice(-2), ['user-198', 'user-199']);
  });

  test('the command saves the last change when stopped by SIGINT or SIGTERM right after it', async () => {
    const dataDir = join(dir, 'cli');
    const bin = join(__dirname, '..', '..', 'bin', 'truvalidate-emulator.js');
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const child = spawn(process.execPath, [bin, '--port', '0', '--data', dataDir], {
        env: { ...process.env, TRUVALIDATE_EMULATOR_FROM_SOURCE: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m && out.includes('Device simulator:')) resolve(m[1] as string);
        });
        child.on('exit', () => reject(new Error(`exited early: ${out}`)));
      });
      const res = await fetch(`${url}/_emulator/api-keys/rotate`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      const rotated = (await res.json()) as { encryptionKeyId: string };
      child.kill(signal);
      assert.equal(await exited, 0, signal);
      assert.equal(readState(dataDir).encryptionKeyId, rotated.encryptionKeyId, signal);
    }
  });
});

describe('bounds', () => {
  let fx: Fixture;
  let hooks: Receiver;
  before(async () => {
    hooks = await startReceiver();
    fx = await Fixture.wrap(await startEmulator({ port: 0, retention: { finishedAuthRequests: 2, webhookLog: 3 } }));
    fx.emu.setServiceCallbackUrl(fx.emu.service.id, `${hooks.url}/hooks`);
    await fx.emu.linkUser('alice');
  });
  after(async () => {
    await fx.close();
    await hooks.close();
  });

  async function answeredRequest(): Promise<string> {
    const created = await fx.call('svc', 'POST', '/service/v3/auths', { username: 'alice' });
    assert.equal(created.status, 201);
    const id = (created.data as { auth_request: string }).auth_request;
    assert.equal((await fx.control('POST', `/auths/${id}/respond`, { action: 'approve' })).status, 200);
    return id;
  }

  test('finished requests beyond the count and the oldest webhook deliveries are dropped', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await answeredRequest());
    assert.equal(fx.emu.state.data.authRequests.length, 3);
    assert.deepEqual(
      fx.emu.state.data.authRequests.map((r) => r.id),
      ids.slice(2),
    );
    assert.equal((await fx.call('svc', 'GET', `/service/v3/auths/${ids[0]}`)).status, 204, 'forgotten: unknown id');
    assert.equal((await fx.call('svc', 'GET', `/service/v3/auths/${ids[4]}`)).status, 200);
    assert.equal(fx.emu.webhookLog.length, 3);
    assert.equal(hooks.received.length, 5);
    const stats = (await fx.control('GET', '/stats')).json as { webhookLog: number; authRequests: number };
    assert.equal(stats.webhookLog, 3);
    assert.equal(stats.authRequests, 3);
  });

  test('finished requests older than the retention time are dropped; a pending one is kept', async () => {
    await answeredRequest();
    const pending = await fx.call('svc', 'POST', '/service/v3/auths', { username: 'alice' });
    const pendingId = (pending.data as { auth_request: string }).auth_request;
    await fx.call('svc', 'DELETE', `/service/v3/auths/${pendingId}`);
    fx.emu.shiftClock(3700);
    try {
      await fx.emu.linkUser('bob');
      const fresh = await fx.call('svc', 'POST', '/service/v3/auths', { username: 'bob' }, { timeOffset: 3700 });
      assert.equal(fresh.status, 201);
      assert.deepEqual(
        fx.emu.state.data.authRequests.map((r) => r.id),
        [(fresh.data as { auth_request: string }).auth_request],
      );
    } finally {
      fx.emu.shiftClock(-3700);
    }
  });

  test('a device whose link code expired is dropped', async () => {
    const link = await fx.call('dir', 'POST', '/directory/v3/devices', { identifier: 'lena', ttl: 1 });
    assert.equal(link.status, 201);
    fx.emu.shiftClock(5);
    try {
      assert.equal(
        (await fx.call('dir', 'POST', '/directory/v3/devices', { identifier: 'mo' }, { timeOffset: 5 })).status,
        201,
      );
      const devices = await fx.call(
        'dir',
        'POST',
        '/directory/v3/devices/list',
        { identifier: 'lena' },
        { timeOffset: 5 },
      );
      assert.deepEqual(devices.data, []);
    } finally {
      fx.emu.shiftClock(-5);
    }
  });
});
