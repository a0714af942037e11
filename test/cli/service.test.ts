/**
 * The service commands of `truvalidate` (authorize, cancel-auth-request, session-start, session-end,
 * verify-user-totp) against the emulator, with the control API playing the phone; the Service credential, and the
 * Directory and Organization credentials acting for the service. Exit codes 0, 1 and 3; `--json` checked exactly.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CliFixture, json, runCli, startCli, type CliRun } from './helpers';

let f: CliFixture;
let svc: string;
before(async () => {
  f = await CliFixture.start();
  svc = f.emu.service.id;
});
after(() => f.close());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The `--json` object of an answered `authorize`, with the random values (PINs, push id) checked and removed. */
function answered(run: CliRun): Record<string, unknown> {
  const out = json(run);
  const pins = out['servicePins'] as string[];
  assert.equal(pins.length, 3);
  for (const pin of pins) assert.match(pin, /^\d{4}$/);
  assert.match(out['userPushId'] as string, UUID);
  delete out['servicePins'];
  delete out['userPushId'];
  return out;
}

/** The emulator's default `auth_methods` list (nothing passed), as the CLI prints it. */
const DEFAULT_METHODS = ['wearables', 'geofencing', 'locations', 'pin_code', 'circle_code', 'face', 'fingerprint'].map(
  (method) => ({
    method,
    set: method === 'geofencing' ? null : false,
    active: method === 'geofencing',
    allowed: true,
    supported: method !== 'wearables' && method !== 'face',
    userRequired: null,
    passed: null,
    error: null,
  }),
);

describe('truvalidate authorize', () => {
  test('Service credential, --json, approved with a fingerprint: exit 0, exact JSON, one line on stderr', async () => {
    const { deviceId } = await f.emu.linkUser('ann');
    const cli = startCli([
      '--json',
      ...f.asService,
      'authorize',
      svc,
      'ann',
      '--title',
      'Log in',
      '--context',
      'From a shell',
      '--ttl',
      '120',
    ]);
    const pending = await f.pendingAuth('ann');
    assert.equal(pending.title, 'Log in');
    assert.equal(pending.context, 'From a shell');
    const id = pending.authRequestId;
    await f.respond(id, {
      action: 'approve',
      methods: [{ method: 'fingerprint', set: true, active: true, passed: true }],
    });
    const run = await cli.done;
    assert.equal(run.code, 0);
    assert.equal(
      run.stderr,
      `Authorization request ${id} sent to 1 device(s); waiting for the answer (up to 120 s).\n`,
    );
    assert.deepEqual(answered(run), {
      authorized: true,
      status: 'authorized',
      serviceId: svc,
      user: 'ann',
      authRequest: id,
      deviceIds: [deviceId],
      pushPackage: `emulator-push:${id}`,
      type: 'AUTHORIZED',
      reason: 'APPROVED',
      denialReason: null,
      fraud: false,
      deviceId,
      serviceUserHash: f.serviceUserHash('ann'),
      organizationUserHash: f.orgUserHash('ann'),
      methodsUsed: ['fingerprint'],
      methods: [
        {
          method: 'fingerprint',
          set: true,
          active: true,
          allowed: null,
          supported: null,
          userRequired: null,
          passed: true,
          error: null,
        },
      ],
      policy: null,
    });
  });

  test('Directory credential acting for its service, text output: the result, the device and the methods', async () => {
    const { deviceId } = await f.emu.linkUser('bea');
    const cli = startCli([...f.asDirectory, 'authorize', svc, 'bea']);
    const id = (await f.pendingAuth('bea')).authRequestId;
    await f.respond(id, { action: 'approve' });
    const run = await cli.done;
    assert.equal(run.code, 0);
    const pins = /\n {2}Service PINs: {7}(\d{4}, \d{4}, \d{4})\n$/.exec(run.stdout)?.[1];
    const pushId = /\n {2}User push id: {7}([0-9a-f-]{36})\n/.exec(run.stdout)?.[1];
    assert.ok(pins !== undefined && pushId !== undefined, run.stdout);
    assert.equal(
      run.stdout,
      [
        'Authorized: the user approved the request.',
        `  Auth request:       ${id}`,
        '  Type:               AUTHORIZED',
        '  Reason:             APPROVED',
        '  Denial reason:      -',
        '  Fraud:              no',
        `  Device:             ${deviceId}`,
        '  Methods used:       none reported',
        `  Service user hash:  ${f.serviceUserHash('bea')}`,
        `  Org user hash:      ${f.orgUserHash('bea')}`,
        `  User push id:       ${pushId}`,
        `  Service PINs:       ${pins}`,
        '',
      ].join('\n'),
    );
    assert.ok(!run.stderr.includes('\r') && !run.stderr.includes('left'), 'no countdown when stderr is not a terminal');
  });

  test('Organization credential, --denial-reason-count 4, denied with reason 2: exit 1', async () => {
    const { deviceId } = await f.emu.linkUser('cid');
    const cli = startCli([
      ...f.asOrganization,
      'authorize',
      svc,
      'cid',
      '--denial-reason-count',
      '4',
      '--use-advanced',
      '--json',
    ]);
    const pending = await f.pendingAuth('cid');
    assert.deepEqual(pending.denialReasons, [
      { id: '0', reason: 'Not now (0)', fraud: false },
      { id: '1', reason: 'I did not ask for this (1)', fraud: true },
      { id: '2', reason: 'Not now (2)', fraud: false },
      { id: '3', reason: 'I did not ask for this (3)', fraud: true },
    ]);
    await f.respond(pending.authRequestId, { action: 'deny', reason: '2' });
    const run = await cli.done;
    assert.equal(run.code, 1);
    assert.deepEqual(answered(run), {
      authorized: false,
      status: 'denied',
      serviceId: svc,
      user: 'cid',
      authRequest: pending.authRequestId,
      deviceIds: [deviceId],
      pushPackage: `emulator-push:${pending.authRequestId}`,
      type: 'DENIED',
      reason: 'DISAPPROVED',
      denialReason: '2',
      fraud: false,
      deviceId,
      serviceUserHash: f.serviceUserHash('cid'),
      organizationUserHash: f.orgUserHash('cid'),
      methodsUsed: [],
      methods: DEFAULT_METHODS,
      policy: null,
    });
  });

  test('reported as fraud, and failed on the device: exit 1 with status fraud / failed', async () => {
    await f.emu.linkUser('dan');
    const fraud = startCli([...f.asService, 'authorize', svc, 'dan', '--json']);
    await f.respond((await f.pendingAuth('dan')).authRequestId, { action: 'fraud' });
    const fraudRun = await fraud.done;
    assert.equal(fraudRun.code, 1);
    const fo = answered(fraudRun);
    assert.deepEqual(
      [fo['authorized'], fo['status'], fo['type'], fo['reason'], fo['denialReason'], fo['fraud']],
      [false, 'fraud', 'DENIED', 'FRAUDULENT', 'DEFAULT-FRAUD', true],
    );
    const failed = startCli([...f.asService, 'authorize', svc, 'dan']);
    await f.respond((await f.pendingAuth('dan')).authRequestId, { action: 'fail', reason: 'SENSOR' });
    const failedRun = await failed.done;
    assert.equal(failedRun.code, 1);
    assert.ok(failedRun.stdout.startsWith('Not authorized: the request failed on the device.\n'), failedRun.stdout);
    assert.ok(
      failedRun.stdout.includes('\n  Type:               FAILED\n  Reason:             SENSOR\n'),
      failedRun.stdout,
    );
  });

  test('no answer within --ttl: expired, exit 1', async () => {
    await f.emu.linkUser('eve');
    const run = await runCli([...f.asService, '--json', 'authorize', svc, 'eve', '--ttl', '2']);
    assert.equal(run.code, 1);
    const out = json(run);
    const id = out['authRequest'] as string;
    assert.match(id, UUID);
    assert.deepEqual(out, {
      authorized: false,
      status: 'expired',
      serviceId: svc,
      user: 'eve',
      authRequest: id,
      deviceIds: out['deviceIds'],
      pushPackage: `emulator-push:${id}`,
      type: null,
      reason: null,
      denialReason: null,
      fraud: null,
      deviceId: null,
      servicePins: [],
      serviceUserHash: null,
      organizationUserHash: null,
      userPushId: null,
      methodsUsed: [],
      methods: [],
      policy: null,
    });
    const text = await runCli([...f.asService, 'authorize', svc, 'eve', '--ttl', '1']);
    assert.equal(text.code, 1);
    assert.match(
      text.stdout,
      /^Not authorized: the request expired without an answer\.\n {2}Auth request: {2}[0-9a-f-]{36}\n$/,
    );
  });

  test('the user already has a pending request: busy, exit 1, naming the blocking request', async () => {
    await f.emu.linkUser('fay');
    const first = startCli([...f.asService, 'authorize', svc, 'fay']);
    const blocking = (await f.pendingAuth('fay')).authRequestId;
    const busy = await runCli([...f.asService, '--json', 'authorize', svc, 'fay']);
    assert.equal(busy.code, 1);
    const out = json(busy);
    assert.match(out['expires'] as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    assert.deepEqual(out, {
      authorized: false,
      status: 'busy',
      serviceId: svc,
      user: 'fay',
      authRequest: blocking,
      deviceIds: null,
      pushPackage: null,
      type: null,
      reason: null,
      denialReason: null,
      fraud: null,
      deviceId: null,
      servicePins: [],
      serviceUserHash: null,
      organizationUserHash: null,
      userPushId: null,
      methodsUsed: [],
      methods: [],
      policy: null,
      expires: out['expires'],
      fromSameService: true,
    });
    await f.respond(blocking, { action: 'deny' });
    assert.equal((await first.done).code, 1);
  });

  test('an unknown user: the API error, exit 3 (with --json, { error } on stdout)', async () => {
    const run = await runCli([...f.asService, '--json', 'authorize', svc, 'nobody']);
    assert.equal(run.code, 3);
    assert.deepEqual(json(run), {
      error: {
        name: 'EntityNotFound',
        code: 'ERR_TRUVALIDATE_ENTITY_NOT_FOUND',
        errorCode: 'HTTP-404',
        statusCode: 404,
        message: 'No such user',
      },
    });
    assert.equal(run.stderr, 'truvalidate: EntityNotFound (HTTP-404, HTTP 404): No such user\n');
  });
});

describe('truvalidate cancel-auth-request', () => {
  test('cancels a request while authorize waits, then: already canceled, answered, not found', async () => {
    await f.emu.linkUser('gus');
    const waiting = startCli([...f.asService, '--json', 'authorize', svc, 'gus']);
    const id = (await f.pendingAuth('gus')).authRequestId;
    const cancel = await runCli([...f.asOrganization, 'cancel-auth-request', svc, id, '--json']);
    assert.equal(cancel.code, 0);
    assert.deepEqual(json(cancel), { canceled: true, status: 'canceled', serviceId: svc, authRequest: id });
    const waited = await waiting.done;
    assert.equal(waited.code, 1);
    assert.equal(json(waited)['status'], 'canceled');

    const again = await runCli([...f.asService, 'cancel-auth-request', svc, id]);
    assert.equal(again.code, 1);
    assert.equal(
      again.stdout,
      `Not canceled: the authorization request was already canceled.\n  Auth request:  ${id}\n`,
    );

    const answeredRun = startCli([...f.asService, 'authorize', svc, 'gus']);
    const second = (await f.pendingAuth('gus')).authRequestId;
    await f.respond(second, { action: 'approve' });
    assert.equal((await answeredRun.done).code, 0);
    const late = await runCli([...f.asService, '--json', 'cancel-auth-request', svc, second]);
    assert.equal(late.code, 1);
    assert.deepEqual(json(late), { canceled: false, status: 'already_answered', serviceId: svc, authRequest: second });

    const unknown = '7d0e0e64-6d2e-11f1-8f3a-0d41c0b7a1e9';
    const none = await runCli([...f.asService, '--json', 'cancel-auth-request', svc, unknown.toUpperCase()]);
    assert.equal(none.code, 1);
    assert.deepEqual(json(none), { canceled: false, status: 'not_found', serviceId: svc, authRequest: unknown });
  });
});

describe('truvalidate authorize interrupted', () => {
  test('Ctrl-C (SIGINT) while waiting cancels the request: status canceled, exit 1, nothing pending', async () => {
    await f.emu.linkUser('ivy');
    const cli = startCli([...f.asService, '--json', 'authorize', svc, 'ivy']);
    const id = (await f.pendingAuth('ivy')).authRequestId;
    cli.kill('SIGINT');
    const run = await cli.done;
    assert.equal(run.code, 1);
    assert.equal(
      run.stderr,
      `Authorization request ${id} sent to 1 device(s); waiting for the answer (up to 300 s).\n` +
        'Interrupted: canceling the authorization request.\n',
    );
    const out = json(run);
    assert.deepEqual([out['authorized'], out['status'], out['authRequest']], [false, 'canceled', id]);
    assert.deepEqual(await f.control('GET', '/auths?user=ivy'), []);
    const again = await runCli([...f.asService, '--json', 'cancel-auth-request', svc, id]);
    assert.equal(json(again)['status'], 'already_canceled');
  });
});

describe('truvalidate session-start / session-end', () => {
  test('start and end a session (the emulator shows it, then not)', async () => {
    await f.emu.linkUser('hal');
    const start = await runCli([...f.asService, '--json', 'session-start', svc, 'hal']);
    assert.equal(start.code, 0);
    assert.deepEqual(json(start), { session: 'started', serviceId: svc, user: 'hal' });
    const sessions = async (): Promise<unknown[]> => {
      const users = (await f.control('GET', '/users')) as Array<{
        identifier: string;
        sessions: Array<{ serviceId: string }>;
      }>;
      return users.find((u) => u.identifier === 'hal')!.sessions.map((s) => s.serviceId);
    };
    assert.deepEqual(await sessions(), [svc]);
    const end = await runCli([...f.asDirectory, 'session-end', svc, 'hal']);
    assert.equal(end.code, 0);
    assert.equal(end.stdout, 'User session is ended.\n  User:  hal\n');
    assert.deepEqual(await sessions(), []);
    const text = await runCli([...f.asOrganization, 'session-start', svc, 'hal']);
    assert.equal(text.stdout, 'User session is started.\n  User:  hal\n');
    const ended = await runCli([...f.asService, '--json', 'session-end', svc, 'hal']);
    assert.deepEqual(json(ended), { session: 'ended', serviceId: svc, user: 'hal' });
  });
});

describe('truvalidate verify-user-totp', () => {
  test('a valid code: exit 0; a wrong code: exit 1; a user without TOTP: exit 3', async () => {
    await f.emu.linkUser('ida');
    const generated = await runCli([...f.asDirectory, '--json', 'generate-user-totp', f.emu.directory.id, 'ida']);
    assert.equal(generated.code, 0);
    const { code } = (await f.control('GET', '/totp/ida')) as { code: string };
    const valid = await runCli([...f.asService, '--json', 'verify-user-totp', svc, 'ida', code]);
    assert.equal(valid.code, 0);
    assert.deepEqual(json(valid), { valid: true, serviceId: svc, user: 'ida' });
    const wrong = String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
    const invalid = await runCli([...f.asOrganization, 'verify-user-totp', svc, 'ida', wrong]);
    assert.equal(invalid.code, 1);
    assert.equal(invalid.stdout, 'The TOTP code is not valid.\n');
    const invalidJson = await runCli([...f.asService, 'verify-user-totp', svc, 'ida', wrong, '--json']);
    assert.deepEqual(json(invalidJson), { valid: false, serviceId: svc, user: 'ida' });
    const none = await runCli([...f.asService, 'verify-user-totp', svc, 'nobody', '123456']);
    assert.equal(none.code, 3);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /^truvalidate: EntityNotFound \(HTTP-404, HTTP 404\): .*\n$/);
  });
});
