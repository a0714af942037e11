/**
 * The control API and the simulator page against DNS rebinding and cross-site browser writes: only the emulator's
 * own Host names, no cross-site writes, JSON bodies only; the v3 API stays reachable under any name.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../lib/emulator';
import { EmulatorOptionError } from '../../lib/emulator/errors';
import { Fixture } from './helpers/fixture';
import { rawRequest } from './helpers/raw-http';

let fx: Fixture;
let port: string;

before(async () => {
  fx = await Fixture.start();
  port = new URL(fx.emu.url).port;
  await fx.emu.linkUser('alice');
});
after(() => fx.close());

/** A fresh pending authorization request of alice (the previous one is canceled first). */
async function pendingAuth(): Promise<string> {
  for (const p of (await fx.control('GET', '/auths?user=alice')).json as { authRequestId: string }[]) {
    await fx.call('svc', 'DELETE', `/service/v3/auths/${p.authRequestId}`);
  }
  const created = await fx.call('svc', 'POST', '/service/v3/auths', { username: 'alice' });
  assert.equal(created.status, 201);
  return (created.data as { auth_request: string }).auth_request;
}

async function stillPending(id: string): Promise<boolean> {
  const list = (await fx.control('GET', '/auths?user=alice')).json as { authRequestId: string }[];
  return list.some((p) => p.authRequestId === id);
}

const approve = JSON.stringify({ action: 'approve' });

describe('Host check (DNS rebinding)', () => {
  test('a foreign Host gets 403 on the simulator page, reads and writes', async () => {
    const id = await pendingAuth();
    const evil = { host: `rebind.attacker.example:${port}` };
    for (const path of ['/_emulator/', '/_emulator', '/_emulator/users', '/_emulator/auths', '/_emulator/links']) {
      const res = await rawRequest(fx.emu.url, 'GET', path, evil);
      assert.equal(res.status, 403, path);
      assert.match((JSON.parse(res.body) as { error: string }).error, /own address/);
    }
    const write = await rawRequest(
      fx.emu.url,
      'POST',
      `/_emulator/auths/${id}/respond`,
      { ...evil, 'content-type': 'application/json' },
      approve,
    );
    assert.equal(write.status, 403);
    assert.equal(await stillPending(id), true);
  });

  test('the right name on another port is foreign too', async () => {
    assert.equal((await rawRequest(fx.emu.url, 'GET', '/_emulator/users', { host: '127.0.0.1:1' })).status, 403);
    assert.equal((await rawRequest(fx.emu.url, 'GET', '/_emulator/users', { host: 'localhost' })).status, 403);
  });

  test('127.0.0.1, localhost and [::1] with the port are the own names', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
      assert.equal((await rawRequest(fx.emu.url, 'GET', '/_emulator/users', { host })).status, 200, host);
    }
  });

  test('the v3 API answers under any Host', async () => {
    const evil = { host: 'api.attacker.example' };
    assert.equal((await rawRequest(fx.emu.url, 'GET', '/public/v3/ping', evil)).status, 200);
    assert.equal((await rawRequest(fx.emu.url, 'GET', '/public/v3/public-key', evil)).status, 200);
  });
});

describe('cross-site writes and non-JSON bodies', () => {
  const own = (): Record<string, string> => ({ host: `127.0.0.1:${port}` });

  test('a cross-site form post (what a page on another site auto-submits) is 403 and changes nothing', async () => {
    const id = await pendingAuth();
    const res = await rawRequest(
      fx.emu.url,
      'POST',
      `/_emulator/auths/${id}/respond`,
      {
        ...own(),
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
        'sec-fetch-mode': 'navigate',
        'sec-fetch-dest': 'document',
        'content-type': 'application/x-www-form-urlencoded',
      },
      'action=approve',
    );
    assert.equal(res.status, 403);
    assert.equal(await stillPending(id), true);
  });

  test('a cross-site fetch with a JSON body is 403 (Origin or Sec-Fetch-Site alone is enough)', async () => {
    const id = await pendingAuth();
    const path = `/_emulator/auths/${id}/respond`;
    const json = { ...own(), 'content-type': 'application/json' };
    const cases: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: `http://127.0.0.1:${Number(port) === 1 ? 2 : 1}` },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' },
    ];
    for (const extra of cases) {
      const res = await rawRequest(fx.emu.url, 'POST', path, { ...json, ...extra }, approve);
      assert.equal(res.status, 403, JSON.stringify(extra));
    }
    assert.equal(await stillPending(id), true);
  });

  test('a text/plain POST (a CORS "simple" request) is 415, and so is a body without Content-Type', async () => {
    const id = await pendingAuth();
    const path = `/_emulator/auths/${id}/respond`;
    const origin = `http://127.0.0.1:${port}`;
    const plain = await rawRequest(
      fx.emu.url,
      'POST',
      path,
      { ...own(), origin, 'content-type': 'text/plain' },
      approve,
    );
    assert.equal(plain.status, 415);
    assert.match((JSON.parse(plain.body) as { error: string }).error, /only JSON/);
    assert.equal((await rawRequest(fx.emu.url, 'POST', path, own(), approve)).status, 415);
    const form = { ...own(), 'content-type': 'multipart/form-data; boundary=x' };
    assert.equal((await rawRequest(fx.emu.url, 'POST', path, form, '')).status, 415);
    assert.equal(await stillPending(id), true);
  });

  test('the simulator page itself (same origin, JSON) can approve', async () => {
    const id = await pendingAuth();
    const res = await rawRequest(
      fx.emu.url,
      'POST',
      `/_emulator/auths/${id}/respond`,
      {
        ...own(),
        origin: `http://127.0.0.1:${port}`,
        'sec-fetch-site': 'same-origin',
        'sec-fetch-mode': 'cors',
        'content-type': 'application/json; charset=utf-8',
      },
      approve,
    );
    assert.equal(res.status, 200);
    assert.equal((JSON.parse(res.body) as { type: string }).type, 'AUTHORIZED');
  });

  test('a cross-site GET (a link from the app to the simulator) still shows the page', async () => {
    const page = await rawRequest(fx.emu.url, 'GET', '/_emulator/', {
      ...own(),
      'sec-fetch-site': 'cross-site',
      'sec-fetch-mode': 'navigate',
    });
    assert.equal(page.status, 200);
  });
});

describe('publicUrl', () => {
  let emu: Emulator;
  const publicUrl = 'http://emulator.localhost:8089';
  before(async () => {
    emu = await startEmulator({ port: 0, publicUrl: `${publicUrl}/` });
  });
  after(() => emu.close());

  test('is the base of the URLs handed out, and its host is an own name', async () => {
    assert.equal(emu.publicUrl, publicUrl);
    assert.equal(emu.simulatorUrl, `${publicUrl}/_emulator/`);
    assert.match(emu.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const local = await Fixture.wrap(emu);
    const link = await local.call('dir', 'POST', '/directory/v3/devices', { identifier: 'pat' });
    const code = (link.data as { code: string; qrcode: string }).code;
    assert.equal((link.data as { qrcode: string }).qrcode, `${publicUrl}/_emulator/qrcode/${code}.png`);
    const links = (await local.control('GET', '/links')).json as { qrcode: string }[];
    assert.deepEqual(
      links.map((l) => l.qrcode),
      [`${publicUrl}/_emulator/qrcode/${code}.png`],
    );
    const named = await rawRequest(emu.url, 'GET', '/_emulator/links', { host: 'emulator.localhost:8089' });
    assert.equal(named.status, 200);
    const write = await rawRequest(
      emu.url,
      'POST',
      '/_emulator/clock',
      { host: 'emulator.localhost:8089', origin: publicUrl, 'content-type': 'application/json' },
      JSON.stringify({ shiftSeconds: 0 }),
    );
    assert.equal(write.status, 200);
  });

  test('a publicUrl with a path, or not http(s), is refused with a typed error', async () => {
    for (const bad of ['http://emulator.localhost:8089/api', 'ftp://x.example', 'not a url', 'http://u:p@x.example']) {
      await assert.rejects(
        startEmulator({ port: 0, publicUrl: bad }),
        (e: unknown) => e instanceof EmulatorOptionError && e.code === 'ERR_TRUVALIDATE_EMULATOR_OPTION',
        bad,
      );
    }
  });
});

describe('the command with a non-loopback --host', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tv-emu-guard-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('prints a warning that anyone who can reach it can approve logins', async () => {
    const bin = join(__dirname, '..', '..', 'bin', 'truvalidate-emulator.js');
    const child = spawn(process.execPath, [bin, '--port', '0', '--host', '0.0.0.0', '--data', dir], {
      env: { ...process.env, TRUVALIDATE_EMULATOR_FROM_SOURCE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('Device simulator:')) resolve();
        });
        child.on('exit', () => reject(new Error(`CLI exited early: ${out} ${err}`)));
      });
      assert.match(
        err,
        /warning: listening on 0\.0\.0\.0, not on a loopback address: anyone who can reach it can approve logins/,
      );
      assert.doesNotMatch(out, /warning/);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
  });
});

test('a request body over 1 MiB is answered 413 (the rest drained), and the emulator keeps serving', async () => {
  const emu = await startEmulator({ port: 0, host: '127.0.0.1', log: () => {} });
  try {
    const res = await fetch(`${emu.url}/service/v3/auths`, {
      method: 'POST',
      headers: { 'content-type': 'application/jose' },
      body: 'x'.repeat(1024 * 1024 + 1),
    });
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as { error_code: string }).error_code, 'HTTP-413');
    assert.equal((await fetch(`${emu.url}/public/v3/ping`)).status, 200);
  } finally {
    await emu.close();
  }
});
