/** State persisted to `dataDir` and reloaded; credentials.json; the CLI. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../lib/emulator';
import { parseArgs, CliUsageError } from '../../lib/emulator/cli';
import { keyId } from '../../lib/sdk/transport/keys';
import { Fixture } from './helpers/fixture';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tv-emulator-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('persistence', () => {
  test('a second start with the same dataDir keeps keys, users, devices, TOTP, sessions and requests', async () => {
    const data = join(dir, 'state');
    const first = await Fixture.start({ dataDir: data });
    let authRequest: string;
    let apiKid: string;
    try {
      const creds = JSON.parse(readFileSync(join(data, 'credentials.json'), 'utf8')) as Record<
        string,
        Record<string, string>
      >;
      assert.equal(creds['url'] as unknown as string, first.emu.url);
      assert.deepEqual(Object.keys(creds).sort(), ['directory', 'organization', 'service', 'url']);
      assert.deepEqual(Object.keys(creds['organization']!).sort(), [
        'encryptionKey',
        'id',
        'privateKey',
        'signatureKey',
      ]);
      assert.deepEqual(Object.keys(creds['directory']!).sort(), ['id', 'privateKey']);
      assert.equal(creds['service']!['privateKey'], first.emu.service.privateKey);
      assert.match(creds['organization']!['privateKey']!, /^-----BEGIN PRIVATE KEY-----/);

      await first.emu.linkUser('alice');
      await first.call('dir', 'POST', '/directory/v3/totp', { identifier: 'alice' });
      await first.call('svc', 'POST', '/service/v3/sessions', { username: 'alice' });
      authRequest = (
        (await first.call('svc', 'POST', '/service/v3/auths', { username: 'alice' })).data as { auth_request: string }
      ).auth_request;
      apiKid = (await first.client.currentKey()).kid;
    } finally {
      await first.close();
    }

    const second = await Fixture.start({ dataDir: data });
    try {
      assert.equal(second.emu.service.id, first.emu.service.id);
      assert.equal(keyId(second.keys.org), keyId(first.keys.org));
      assert.equal((await second.client.currentKey()).kid, apiKid);
      const users = (await second.control('GET', '/users')).json as {
        identifier: string;
        hasTotp: boolean;
        devices: unknown[];
        sessions: unknown[];
      }[];
      assert.deepEqual(
        users.map((u) => [u.identifier, u.hasTotp, u.devices.length, u.sessions.length]),
        [['alice', true, 1, 1]],
      );
      const pending = (await second.control('GET', '/auths?user=alice')).json as { authRequestId: string }[];
      assert.deepEqual(
        pending.map((p) => p.authRequestId),
        [authRequest],
      );
      assert.equal((await second.control('POST', `/auths/${authRequest}/respond`, { action: 'approve' })).status, 200);
      assert.equal((await second.call('svc', 'GET', `/service/v3/auths/${authRequest}`)).status, 200);
    } finally {
      await second.close();
    }
    const third = await startEmulator({ port: 0, dataDir: data });
    try {
      assert.equal(third.state.data.authRequests[0]?.answer?.type, 'AUTHORIZED');
    } finally {
      await third.close();
    }
  });

  test('a single API key can both sign and encrypt', async () => {
    const fx = await Fixture.start({ singleApiKey: true });
    try {
      const answer = await fx.call('svc', 'GET', '/service/v3/auths/00000000-0000-1000-8000-000000000000');
      assert.equal(answer.status, 204);
      const jwt = answer.headers.get('x-iov-jwt') ?? '';
      const signingKid = JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()).kid;
      assert.equal(signingKid, (await fx.client.currentKey()).kid);
    } finally {
      await fx.close();
    }
  });
});

describe('command line', () => {
  test('parseArgs: defaults, both flag forms, clear errors', () => {
    assert.deepEqual(parseArgs([]), {
      port: 8080,
      host: '127.0.0.1',
      dataDir: './.truvalidate-emulator',
      publicUrl: null,
      help: false,
    });
    assert.deepEqual(
      parseArgs(['--port', '0', '--host=::1', '--data', '/tmp/x', '--public-url', 'http://emu.localhost:8080']),
      {
        port: 0,
        host: '::1',
        dataDir: '/tmp/x',
        publicUrl: 'http://emu.localhost:8080',
        help: false,
      },
    );
    assert.throws(
      () => parseArgs(['--public-url', 'http://emu.localhost:8080/x']),
      /--public-url: must be an origin only/,
    );
    assert.throws(() => parseArgs(['--port']), /--port needs a value/);
    assert.equal(parseArgs(['--help']).help, true);
    assert.throws(
      () => parseArgs(['--port', 'abc']),
      (e: unknown) => e instanceof CliUsageError && /--port must be an integer/.test(e.message),
    );
    assert.throws(() => parseArgs(['--port', '70000']), CliUsageError);
    assert.throws(() => parseArgs(['--data']), /--data needs a value/);
    assert.throws(() => parseArgs(['--verbose']), /unknown option --verbose/);
  });

  test('the CLI starts, writes credentials.json, prints its URLs, and stops on SIGTERM', async () => {
    const data = join(dir, 'cli');
    const child = spawn(
      process.execPath,
      [join(__dirname, '..', '..', 'bin', 'truvalidate-emulator.js'), '--port', '0', '--data', data],
      {
        env: { ...process.env, TRUVALIDATE_EMULATOR_FROM_SOURCE: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('Device simulator:')) resolve();
        });
        child.on('exit', () => reject(new Error(`CLI exited early: ${out}`)));
      });
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      assert.ok(url, out);
      assert.match(out, new RegExp(`Credentials: ${join(data, 'credentials.json').replace(/[.]/g, '\\.')}`));
      assert.match(out, new RegExp(`Device simulator: ${url}/_emulator/`));
      const creds = JSON.parse(readFileSync(join(data, 'credentials.json'), 'utf8')) as { url: string };
      assert.equal(creds.url, url);
      const page = await fetch(`${url}/_emulator/`);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /text\/html/);
      assert.equal((await fetch(`${url}/public/v3/ping`)).status, 200);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
  });

  test('the CLI rejects a bad flag with exit code 2', async () => {
    const child = spawn(
      process.execPath,
      [join(__dirname, '..', '..', 'bin', 'truvalidate-emulator.js'), '--port', 'x'],
      {
        env: { ...process.env, TRUVALIDATE_EMULATOR_FROM_SOURCE: '1' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 2);
    assert.match(err, /--port must be an integer/);
  });
});
