/**
 * The directory commands of `truvalidate` (device-link, devices-list, device-unlink, generate-user-totp,
 * remove-user-totp) against the emulator, the Organization acting for the directory, extra keys (`-k`), the
 * `--credentials` mode, global options in every position, and what a terminal gets (QR codes, the countdown)
 * against what a pipe gets.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BIN, CliFixture, json, ROOT, runCli, startCli } from './helpers';

const execFileAsync = promisify(execFile);

let f: CliFixture;
let dir: string;
before(async () => {
  f = await CliFixture.start();
  dir = f.emu.directory.id;
});
after(() => f.close());

/** The end of the `otpauth://` URI of an emulator TOTP secret. */
const TOTP_PARAMS = 'algorithm=SHA1&digits=6&period=30';

interface PendingLink {
  identifier: string;
  directoryId: string;
  code: string;
  deviceId: string;
  expiresAt: string;
}

async function pendingLinks(user: string): Promise<PendingLink[]> {
  return ((await f.control('GET', '/links')) as PendingLink[]).filter((l) => l.identifier === user);
}

describe('truvalidate device-link / devices-list / device-unlink', () => {
  test('link (Directory), the phone completes it, list (Organization for the directory), unlink', async () => {
    const link = await runCli([...f.asDirectory, '--json', 'device-link', dir, 'amy', '--ttl', '120']);
    assert.equal(link.code, 0);
    const [pending] = await pendingLinks('amy');
    assert.ok(pending !== undefined);
    const expiresIn = Date.parse(pending.expiresAt) - Date.now();
    assert.ok(expiresIn > 100_000 && expiresIn <= 121_000, `link expires in ${expiresIn} ms`);
    assert.deepEqual(json(link), {
      directoryId: dir,
      user: 'amy',
      code: pending.code,
      qrcode: `${f.emu.url}/_emulator/qrcode/${pending.code}.png`,
      deviceId: pending.deviceId,
    });

    const waiting = await runCli([...f.asOrganization, '--json', 'devices-list', dir, 'amy']);
    assert.equal(waiting.code, 0);
    const [before] = json(waiting)['devices'] as Array<Record<string, unknown>>;
    assert.equal(before!['status'], 'LINK_PENDING');
    assert.equal(before!['active'], false);

    await f.control('POST', '/devices/link', { code: pending.code });
    const listed = await runCli([...f.asOrganization, '--json', 'devices-list', dir, 'amy']);
    assert.equal(listed.code, 0);
    const out = json(listed);
    const device = (out['devices'] as Array<Record<string, unknown>>)[0]!;
    assert.match(device['created'] as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    assert.match(device['updated'] as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    assert.deepEqual(out, {
      directoryId: dir,
      user: 'amy',
      devices: [
        {
          id: pending.deviceId,
          name: 'Emulated device 1',
          type: 'Emulator',
          status: 'LINKED',
          active: true,
          created: device['created'],
          updated: device['updated'],
        },
      ],
    });
    const text = await runCli([...f.asDirectory, 'devices-list', dir, 'amy']);
    assert.equal(
      text.stdout,
      `Emulated device 1\n  ID:      ${pending.deviceId}\n  Type:    Emulator\n  Status:  LINKED\n`,
    );

    const unlink = await runCli([...f.asOrganization, '--json', 'device-unlink', dir, 'amy', pending.deviceId]);
    assert.equal(unlink.code, 0);
    assert.deepEqual(json(unlink), { unlinked: true, directoryId: dir, user: 'amy', deviceId: pending.deviceId });
    const empty = await runCli([...f.asDirectory, 'devices-list', dir, 'amy']);
    assert.equal(empty.code, 0);
    assert.equal(empty.stdout, 'No devices found for the given identifier.\n');
    const emptyJson = await runCli([...f.asDirectory, 'devices-list', dir, 'amy', '--json']);
    assert.deepEqual(json(emptyJson), { directoryId: dir, user: 'amy', devices: [] });

    const gone = await runCli([...f.asDirectory, 'device-unlink', dir, 'amy', pending.deviceId]);
    assert.equal(gone.code, 3);
    assert.equal(gone.stdout, '');
    assert.match(gone.stderr, /^truvalidate: EntityNotFound \(HTTP-404, HTTP 404\): .+\n$/);
  });

  test('text output on a pipe: the code and the URL, no QR code, nothing on stderr', async () => {
    const run = await runCli([...f.asDirectory, 'device-link', dir, 'bob']);
    assert.equal(run.code, 0);
    const [pending] = await pendingLinks('bob');
    assert.equal(
      run.stdout,
      [
        'Device link request successful: enter the linking code in the authenticator app, or scan the QR code.',
        `  Linking code:  ${pending!.code}`,
        `  QR code URL:   ${f.emu.url}/_emulator/qrcode/${pending!.code}.png`,
        `  Device:        ${pending!.deviceId}`,
        '',
      ].join('\n'),
    );
    assert.equal(run.stderr, '');
  });
});

describe('truvalidate generate-user-totp / remove-user-totp', () => {
  test('generate (Organization for the directory): the secret and its URI; remove; text without QR', async () => {
    await f.emu.linkUser('cal');
    const gen = await runCli([...f.asOrganization, '--json', 'generate-user-totp', dir, 'cal']);
    assert.equal(gen.code, 0);
    const out = json(gen);
    const secret = out['secret'] as string;
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.deepEqual(out, {
      directoryId: dir,
      user: 'cal',
      secret,
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
      uri: `otpauth://totp/TruValidate:cal?secret=${secret}&issuer=TruValidate&${TOTP_PARAMS}`,
    });
    await f.control('GET', '/totp/cal');

    const text = await runCli([...f.asDirectory, 'generate-user-totp', dir, 'cal']);
    const again = /\n {2}Secret: {5}([A-Z2-7]{32})\n/.exec(text.stdout)?.[1];
    assert.ok(again !== undefined && again !== secret, text.stdout);
    assert.equal(
      text.stdout,
      [
        'TOTP generated for the user: add the secret to an authenticator app, or scan the QR code.',
        `  Secret:     ${again}`,
        '  Algorithm:  SHA1',
        '  Digits:     6',
        '  Period:     30 s',
        `  URI:        otpauth://totp/TruValidate:cal?secret=${again}&issuer=TruValidate&${TOTP_PARAMS}`,
        '',
      ].join('\n'),
    );

    const removed = await runCli([...f.asDirectory, '--json', 'remove-user-totp', dir, 'cal']);
    assert.equal(removed.code, 0);
    assert.deepEqual(json(removed), { removed: true, directoryId: dir, user: 'cal' });
    await f.control('GET', '/totp/cal', undefined, 404);
    const textRemoved = await runCli([...f.asDirectory, 'remove-user-totp', dir, 'cal']);
    assert.equal(textRemoved.stdout, 'TOTP configuration removed from the user.\n  User:  cal\n');
  });
});

describe('truvalidate keys and global options', () => {
  test('an Organization signing with its signature-only key needs -k with its encryption key', async () => {
    const base = ['organization', f.emu.organization.id, f.keyFile('org-signature'), '--api', f.emu.url];
    const without = await runCli([...base, 'devices-list', dir, 'amy']);
    assert.equal(without.code, 3);
    assert.equal(without.stdout, '');
    assert.match(without.stderr, /^truvalidate: EntityKeyNotFound: .+\n$/);
    const withKey = await runCli([...base, '-k', f.keyFile('org-encryption'), '--json', 'devices-list', dir, 'amy']);
    assert.equal(withKey.code, 0);
    assert.deepEqual(json(withKey), { directoryId: dir, user: 'amy', devices: [] });
    const longName = await runCli([
      ...base,
      '--additional-key',
      f.keyFile('org-encryption'),
      'devices-list',
      dir,
      'amy',
    ]);
    assert.equal(longName.code, 0);
    const same = await runCli([...f.asOrganization, '-k', f.keyFile('org'), 'devices-list', dir, 'amy']);
    assert.equal(same.code, 0);
    assert.equal(same.stderr, `truvalidate: warning: the key file ${f.keyFile('org')} is the private key itself\n`);
  });

  test('global options before, between and after the positionals (and after COMMAND): same result', async () => {
    await f.emu.linkUser('dee');
    const id = f.emu.organization.id;
    const key = f.keyFile('org');
    const enc = f.keyFile('org-encryption');
    const variants = [
      ['--json', '--api', f.emu.url, '-k', enc, 'organization', id, key, 'devices-list', dir, 'dee'],
      ['ORGANIZATION', '--api', f.emu.url, id, '-k', enc, key, '--json', 'devices-list', dir, 'dee'],
      ['Organization', id, key, `--api=${f.emu.url}`, '--key', enc, 'devices-list', dir, 'dee', '--json'],
      ['organization', id, key, 'devices-list', '-u', f.emu.url, dir, '--json', 'dee'],
    ];
    const runs = [];
    for (const args of variants) runs.push(await runCli(args));
    for (const run of runs) {
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, runs[0]!.stdout);
    }
    const out = json(runs[0]!);
    assert.equal((out['devices'] as unknown[]).length, 1);
  });
});

describe('truvalidate --credentials', () => {
  test('`--credentials FILE service authorize alice` as written: ids implied, --api from the file', async () => {
    const { deviceId } = await f.emu.linkUser('alice');
    const cli = startCli(['--credentials', f.credentialsPath, 'service', 'authorize', 'alice']);
    const id = (await f.pendingAuth('alice')).authRequestId;
    await f.respond(id, { action: 'approve' });
    const run = await cli.done;
    assert.equal(run.code, 0, run.stderr);
    assert.ok(
      run.stdout.startsWith(`Authorized: the user approved the request.\n  Auth request:       ${id}\n`),
      run.stdout,
    );
    assert.ok(run.stdout.includes(`\n  Device:             ${deviceId}\n`));
  });

  test('Directory and Organization entities of the file, with and without the ids; --json', async () => {
    const creds = ['--credentials', f.credentialsPath];
    const listed = await runCli([...creds, 'directory', '--json', 'devices-list', 'alice']);
    assert.equal(listed.code, 0, listed.stderr);
    const devices = json(listed)['devices'] as Array<{ id: string }>;
    assert.equal(devices.length, 1);
    const explicit = await runCli(['--json', 'organization', ...creds, 'devices-list', dir, 'alice']);
    assert.equal(explicit.stdout, listed.stdout);
    const session = await runCli([...creds, 'directory', 'session-start', 'alice', '--json']);
    assert.deepEqual(json(session), { session: 'started', serviceId: f.emu.service.id, user: 'alice' });
    const linked = await runCli([...creds, 'organization', 'device-link', 'eli', '--json']);
    assert.equal(json(linked)['directoryId'], dir);
    assert.equal((await pendingLinks('eli')).length, 1);
    const dirOnService = await runCli([...creds, 'service', 'device-link', 'eli']);
    assert.equal(dirOnService.code, 2);
    assert.equal(
      dirOnService.stderr,
      'truvalidate: device-link is a directory command: use a Directory or Organization credential, ' +
        'not a Service one\n',
    );
    const wrongShape = await runCli([...creds, 'service', f.emu.service.id, 'key.pem', 'session-start', 'alice']);
    assert.equal(wrongShape.code, 2);
    assert.match(
      wrongShape.stderr,
      /^truvalidate: unknown command "[0-9a-f-]{36}" \(with --credentials, give only the entity name before COMMAND\)/,
    );
  });
});

describe('truvalidate on a terminal', () => {
  /** Runs the bin under `script`, so that stdout and stderr are a terminal: its exit code and what the terminal got. */
  async function inTerminal(args: string[]): Promise<{ code: number; output: string }> {
    const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
    const command = [process.execPath, BIN, ...args].map(quote).join(' ');
    const options = { cwd: ROOT, env: { ...process.env, TRUVALIDATE_CLI_FROM_SOURCE: '1' }, timeout: 60_000 };
    try {
      const { stdout } = await execFileAsync('script', ['-qec', command, '/dev/null'], options);
      return { code: 0, output: stdout };
    } catch (err) {
      const e = err as { code?: unknown; stdout?: string };
      if (typeof e.code !== 'number' || typeof e.stdout !== 'string') throw err;
      return { code: e.code, output: e.stdout };
    }
  }

  test('device-link draws the linking code as a QR code; authorize draws a countdown', async () => {
    const link = await inTerminal([...f.asDirectory, 'device-link', dir, 'fin']);
    assert.equal(link.code, 0);
    assert.ok(link.output.includes('Linking code as a QR code:'), link.output);
    assert.ok(link.output.includes('\u2584') || link.output.includes('\u2580'), 'half-block QR characters');
    await f.emu.linkUser('fin');
    const auth = await inTerminal([...f.asService, 'authorize', f.emu.service.id, 'fin', '--ttl', '2']);
    assert.equal(auth.code, 1);
    const countdown = "\r\u001b[KWaiting for the user's answer: 0:0";
    assert.ok(
      auth.output.includes(`${countdown}2 left`) || auth.output.includes(`${countdown}1 left`),
      JSON.stringify(auth.output),
    );
    assert.ok(auth.output.includes('Not authorized: the request expired without an answer.'), auth.output);
  });
});
