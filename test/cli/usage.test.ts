/**
 * `truvalidate` usage: the help texts, and every usage error (exit code 2, a message on stderr, nothing on stdout),
 * and a network error (exit code 3). No API call is made before a usage error, so most cases need no emulator.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { json, runCli, type CliRun } from './helpers';

const SVC = '0b6a6a3e-6d2e-11f1-8f3a-0d41c0b7a1e9';
const DIR = '1c2d3e4f-6d2e-11f1-8f3a-0d41c0b7a1e9';
let dir: string;
let key: string;
let notKey: string;
let credentials: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tv-cli-usage-'));
  key = join(dir, 'key.pem');
  notKey = join(dir, 'notes.txt');
  credentials = join(dir, 'credentials.json');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(key, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(notKey, 'not a key\n');
  writeFileSync(credentials, JSON.stringify({ url: 'http://127.0.0.1:1', service: { id: SVC, privateKey: 'x' } }));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Asserts a usage error: exit code 2, exactly `message` on stderr, nothing on stdout. */
function assertUsage(run: CliRun, message: string): void {
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, `truvalidate: ${message}\n`);
  assert.equal(run.code, 2);
}

describe('truvalidate help', () => {
  test('--help lists every command and the global options, on stdout, exit code 0', async () => {
    const run = await runCli(['--help']);
    assert.equal(run.code, 0);
    assert.equal(run.stderr, '');
    assert.match(
      run.stdout,
      /^Usage: truvalidate ENTITY_TYPE ENTITY_ID PRIVATE_KEY_FILE \[--api URL\] \[-k KEYFILE\]\.\.\. /,
    );
    const commands = [
      'authorize SERVICE_ID USERNAME [options]',
      'cancel-auth-request SERVICE_ID AUTH_ID',
      'session-start SERVICE_ID USERNAME',
      'session-end SERVICE_ID USERNAME',
      'device-link DIRECTORY_ID USER [options]',
      'devices-list DIRECTORY_ID USER',
      'device-unlink DIRECTORY_ID USER DEVICE_ID',
      'generate-user-totp DIRECTORY_ID USER',
      'remove-user-totp DIRECTORY_ID USER',
      'verify-user-totp SERVICE_ID USER CODE',
    ];
    for (const c of commands) assert.ok(run.stdout.includes(`\n  ${c} `), c);
    for (const o of ['-u, --api URL', '-k, --key KEYFILE', '--json', '--credentials FILE', '-h, --help'])
      assert.ok(run.stdout.includes(`\n  ${o} `), o);
    assert.ok(run.stdout.split('\n').every((l) => l.length <= 120));
  });

  test('COMMAND --help lists the options of the command, with or without the entity positionals', async () => {
    const alone = await runCli(['authorize', '--help']);
    const full = await runCli(['service', SVC, key, 'authorize', '--help']);
    assert.equal(alone.code, 0);
    assert.equal(full.stdout, alone.stdout);
    assert.match(
      alone.stdout,
      /^Usage: truvalidate ENTITY_TYPE ENTITY_ID PRIVATE_KEY_FILE \[global options\] authorize SERVICE_ID USERNAME/,
    );
    for (const o of [
      '--context TEXT',
      '--title TEXT',
      '--ttl SECONDS',
      '--push-title TEXT',
      '--push-body TEXT',
      '--denial-reason-count N',
      '--use-advanced',
    ]) {
      assert.ok(alone.stdout.includes(`\n  ${o} `), o);
    }
    const link = await runCli(['device-link', '-h']);
    assert.ok(link.stdout.includes('\n  --ttl SECONDS '));
    assert.ok(!link.stdout.includes('--context'));
  });
});

describe('truvalidate usage errors: exit code 2, nothing on stdout', () => {
  test('no arguments', async () => {
    assertUsage(
      await runCli([]),
      'missing ENTITY_TYPE ENTITY_ID PRIVATE_KEY_FILE and COMMAND; run `truvalidate --help` for the usage',
    );
  });

  test('unknown entity type', async () => {
    assertUsage(
      await runCli(['widget', SVC, key, 'session-start', SVC, 'alice']),
      'unknown entity type "widget": use Service, Directory or Organization',
    );
  });

  test('unknown command, also with --json', async () => {
    const message =
      'unknown command "login"; commands: authorize, cancel-auth-request, session-start, session-end, device-link, ' +
      'devices-list, device-unlink, generate-user-totp, remove-user-totp, verify-user-totp';
    assertUsage(await runCli(['service', SVC, key, 'login', SVC, 'alice']), message);
    assertUsage(await runCli(['--json', 'service', SVC, key, 'login', SVC, 'alice']), message);
  });

  test('missing key file, a folder, a file that is not a key', async () => {
    const missing = join(dir, 'missing.pem');
    assertUsage(
      await runCli(['service', SVC, missing, 'session-start', SVC, 'alice']),
      `cannot read the private key file ${missing}: no such file`,
    );
    assertUsage(
      await runCli(['service', SVC, dir, '--json', 'session-start', SVC, 'alice']),
      `cannot read the private key file ${dir}: it is a folder`,
    );
    assertUsage(
      await runCli(['service', SVC, key, '-k', missing, 'session-start', SVC, 'alice']),
      `cannot read the key file ${missing}: no such file`,
    );
    const bad = await runCli(['service', SVC, notKey, 'session-start', SVC, 'alice']);
    assert.equal(bad.code, 2);
    assert.equal(bad.stdout, '');
    assert.match(
      bad.stderr,
      new RegExp(
        `^truvalidate: ${notKey.replace(/[.]/g, '\\.')} is not a usable private key ` +
          '\\(a PEM RSA key of 2048 bits or more\\): .+\n$',
      ),
    );
  });

  test('bad UUIDs: ENTITY_ID, SERVICE_ID, DIRECTORY_ID, AUTH_ID', async () => {
    assertUsage(
      await runCli(['service', 'not-a-uuid', key, 'session-start', SVC, 'alice']),
      'ENTITY_ID must be a UUID, got "not-a-uuid"',
    );
    assertUsage(
      await runCli(['organization', SVC, key, 'session-start', '1234', 'alice']),
      'SERVICE_ID must be a UUID, got "1234"',
    );
    assertUsage(
      await runCli(['organization', SVC, key, 'devices-list', 'dir-1', 'alice']),
      'DIRECTORY_ID must be a UUID, got "dir-1"',
    );
    assertUsage(
      await runCli(['service', SVC, key, 'cancel-auth-request', SVC, 'abc']),
      'AUTH_ID must be a UUID, got "abc"',
    );
  });

  test('bad option values and placement', async () => {
    assertUsage(
      await runCli(['service', SVC, key, 'authorize', SVC, 'alice', '--ttl', '0']),
      '--ttl must be a whole number of at least 1, got "0"',
    );
    assertUsage(
      await runCli(['service', SVC, key, 'authorize', SVC, 'alice', '--ttl=1.5']),
      '--ttl must be a whole number of at least 1, got "1.5"',
    );
    assertUsage(
      await runCli(['service', SVC, key, 'authorize', SVC, 'alice', '--denial-reason-count', '1']),
      '--denial-reason-count must be a whole number of at least 2, got "1"',
    );
    assertUsage(
      await runCli(['directory', DIR, key, 'device-link', DIR, 'alice', '--context', 'x']),
      'device-link has no option --context; run `truvalidate device-link --help`',
    );
    assertUsage(
      await runCli(['service', SVC, key, '--title', 'x', 'authorize', SVC, 'alice']),
      '--title is an option of a command: put it after COMMAND',
    );
    const unknown = await runCli(['service', SVC, key, '--colour', 'authorize', SVC, 'alice']);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stdout, '');
    assert.match(
      unknown.stderr,
      /^truvalidate: Unknown option '--colour'\..*; run `truvalidate --help` for the usage\n$/,
    );
  });

  test('wrong number of arguments, missing positionals', async () => {
    assertUsage(
      await runCli(['organization', SVC, key, 'verify-user-totp', SVC, 'alice']),
      'verify-user-totp takes SERVICE_ID USER CODE, got 2 argument(s); run `truvalidate verify-user-totp --help`',
    );
    assertUsage(
      await runCli(['service', SVC, key, 'verify-user-totp', 'alice']),
      `verify-user-totp takes SERVICE_ID USER CODE (SERVICE_ID may be left out: it is ${SVC}), got 1 argument(s); ` +
        'run `truvalidate verify-user-totp --help`',
    );
    assertUsage(
      await runCli(['service', SVC, 'authorize', SVC, 'alice']),
      'authorize needs ENTITY_TYPE ENTITY_ID PRIVATE_KEY_FILE before it ' +
        '(or use --credentials FILE with an entity name); run `truvalidate --help` for the usage',
    );
    assertUsage(await runCli(['service', SVC, key]), 'missing COMMAND; run `truvalidate --help` for the usage');
  });

  test('a credential used for what it cannot act for', async () => {
    assertUsage(
      await runCli(['service', SVC, key, 'devices-list', DIR, 'alice']),
      'devices-list is a directory command: use a Directory or Organization credential, not a Service one',
    );
    assertUsage(
      await runCli(['service', SVC, key, 'session-start', DIR, 'alice']),
      `a Service credential acts only for itself (${SVC}), not for SERVICE_ID ${DIR}`,
    );
    assertUsage(
      await runCli(['directory', DIR, key, 'devices-list', SVC, 'alice']),
      `a Directory credential acts only for itself (${DIR}), not for DIRECTORY_ID ${SVC}`,
    );
  });

  test('a bad credentials file', async () => {
    const missing = join(dir, 'nope.json');
    assertUsage(
      await runCli(['--credentials', missing, 'service', 'session-start', 'alice']),
      `cannot read the credentials file ${missing}: no such file`,
    );
    const notJson = await runCli(['--credentials', key, 'service', 'session-start', 'alice']);
    assert.equal(notJson.code, 2);
    assert.equal(notJson.stdout, '');
    assert.ok(notJson.stderr.startsWith(`truvalidate: the credentials file ${key} is not JSON: `), notJson.stderr);
    assertUsage(
      await runCli(['--credentials', credentials, 'service', 'session-start', 'alice']),
      `${credentials} has no "organization" with an "id" and a "privateKey"; is it the emulator's credentials.json?`,
    );
  });
});

describe('truvalidate network error: exit code 3', () => {
  test('an API that does not answer: the SDK error on stderr; with --json also { error } on stdout', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const args = ['service', SVC, key, '--api', `http://127.0.0.1:${port}`, 'session-start', SVC, 'alice'];
    const plain = await runCli(args);
    assert.equal(plain.code, 3);
    assert.equal(plain.stdout, '');
    assert.match(plain.stderr, /^truvalidate: UnexpectedAPIResponse: .*ECONNREFUSED.*\n$/);
    const machine = await runCli(['--json', ...args]);
    assert.equal(machine.code, 3);
    const out = json(machine);
    assert.deepEqual(Object.keys(out), ['error']);
    const error = out['error'] as Record<string, unknown>;
    assert.equal(error['name'], 'UnexpectedAPIResponse');
    assert.equal(error['code'], 'ERR_TRUVALIDATE_UNEXPECTED_API_RESPONSE');
    assert.equal(error['errorCode'], null);
    assert.equal(error['statusCode'], null);
    assert.equal(machine.stderr, plain.stderr);
  });
});
