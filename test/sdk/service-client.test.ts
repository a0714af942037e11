/** ServiceClient round trips against the emulator over loopback (issue 2): login, deny, fraud, expiry, cancel,
 * busy user, sessions and TOTP. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdvancedAuthorizationResponse,
  AuthMethod,
  AuthMethodType,
  AuthPolicy,
  AuthResponseReason,
  AuthResponseType,
  AuthorizationInProgress,
  AuthorizationRequestCanceled,
  AuthorizationResponse,
  AuthorizationResponsePolicy,
  DenialReason,
  DirectoryFactory,
  EntityKeyNotFound,
  EntityNotFound,
  InvalidParameters,
  JOSETransport,
  MethodAmountPolicy,
  OrganizationFactory,
  Requirement,
  RequestTimedOut,
  ServiceFactory,
  Unauthorized,
  type DirectoryClient,
  type ServiceClient,
} from '../../lib/sdk';
import { control, linkedUser, respond, startTestEmulator, type Emulator } from './helpers/emulator';

let emu: Emulator;
let client: ServiceClient;
let directory: DirectoryClient;

before(async () => {
  emu = await startTestEmulator();
  client = new ServiceFactory(emu.service.id, emu.service.privateKey, { url: emu.url }).makeServiceClient();
  directory = new DirectoryFactory(emu.directory.id, emu.directory.privateKey, { url: emu.url }).makeDirectoryClient();
});
after(() => emu.close());

describe('login round trips', () => {
  test('request, pending poll, approve, poll: authorized with auth methods and the evaluated policy', async () => {
    const user = await linkedUser(emu);
    const req = await client.authorizationRequest(user, {
      context: 'Sign in to the shop',
      title: 'Shop',
      ttl: 120,
      policy: new AuthPolicy({ any: 2 }),
    });
    assert.match(req.authRequest, /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(req.deviceIds?.length, 1);
    assert.equal(typeof req.pushPackage, 'string');
    assert.equal(await client.getAdvancedAuthorizationResponse(req.authRequest), null, 'pending');
    const pending = await control<Array<{ authRequestId: string; context: string }>>(
      emu,
      'GET',
      `/auths?user=${encodeURIComponent(user)}`,
    );
    assert.equal(pending[0]?.authRequestId, req.authRequest);
    assert.equal(pending[0]?.context, 'Sign in to the shop');
    await respond(emu, req.authRequest, 'approve');
    const res = await client.getAdvancedAuthorizationResponse(req.authRequest);
    assert.ok(res instanceof AdvancedAuthorizationResponse);
    assert.equal(res.kind, 'authorization-response');
    assert.equal(res.authorized, true);
    assert.equal(res.type, AuthResponseType.AUTHORIZED);
    assert.equal(res.reason, AuthResponseReason.APPROVED);
    assert.equal(res.fraud, false);
    assert.equal(res.denialReason, null);
    assert.equal(res.authorizationRequestId, req.authRequest);
    assert.equal(res.deviceId, req.deviceIds?.[0]);
    assert.match(res.serviceUserHash, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(res.servicePins.length, 3);
    assert.ok(res.authMethods && res.authMethods.length === 7);
    assert.ok(res.authMethods.every((m) => m instanceof AuthMethod));
    assert.deepEqual(
      res.authMethods.map((m) => m.method),
      [
        AuthMethodType.WEARABLES,
        AuthMethodType.GEOFENCING,
        AuthMethodType.LOCATIONS,
        AuthMethodType.PIN_CODE,
        AuthMethodType.CIRCLE_CODE,
        AuthMethodType.FACE,
        AuthMethodType.FINGERPRINT,
      ],
    );
    assert.ok(res.policy instanceof AuthorizationResponsePolicy);
    assert.equal(res.policy.requirement, Requirement.AMOUNT);
    assert.equal(res.policy.amount, 2);
    const again = await client.getAdvancedAuthorizationResponse(req.authRequest);
    assert.equal(again?.authorized, true, 'the answer is returned again on repeated polls');
    const legacy = await client.getAuthorizationResponse(req.authRequest);
    assert.ok(legacy instanceof AuthorizationResponse);
    assert.equal(legacy.authorized, true);
    assert.ok(legacy.authPolicy instanceof AuthPolicy);
    assert.equal(legacy.authPolicy.minimumAmount, 2);
  });

  test('deny with the denial reason the user chose', async () => {
    const user = await linkedUser(emu);
    const reasons = [
      new DenialReason('not-me', 'I did not ask for this', false),
      new DenialReason('stolen', 'Someone else is trying', true),
    ];
    const req = await client.authorizationRequest(user, { denialReasons: reasons });
    await respond(emu, req.authRequest, 'deny', 'not-me');
    const res = await client.getAdvancedAuthorizationResponse(req.authRequest);
    assert.equal(res?.authorized, false);
    assert.equal(res?.type, AuthResponseType.DENIED);
    assert.equal(res?.reason, AuthResponseReason.DISAPPROVED);
    assert.equal(res?.denialReason, 'not-me');
    assert.equal(res?.fraud, false);
  });

  test('fraud', async () => {
    const user = await linkedUser(emu);
    const req = await client.authorizationRequest(user, {
      denialReasons: new Set([new DenialReason('a', 'No', false), new DenialReason('b', 'Fraud', true)]),
    });
    await respond(emu, req.authRequest, 'fraud');
    const res = await client.getAdvancedAuthorizationResponse(req.authRequest);
    assert.equal(res?.authorized, false);
    assert.equal(res?.reason, AuthResponseReason.FRAUDULENT);
    assert.equal(res?.fraud, true);
    assert.equal(res?.denialReason, 'b');
  });

  test('an unanswered request expires: RequestTimedOut (the emulator clock moves; clients follow it)', async () => {
    const user = await linkedUser(emu);
    const req = await client.authorizationRequest(user, { ttl: 30 });
    emu.shiftClock(60);
    try {
      const fresh = new ServiceFactory(emu.service.id, emu.service.privateKey, { url: emu.url }).makeServiceClient();
      await assert.rejects(fresh.getAdvancedAuthorizationResponse(req.authRequest), RequestTimedOut);
      // The long-lived client still holds the old offset: the API refuses its JWT once (401), then it pings again.
      await assert.rejects(client.getAdvancedAuthorizationResponse(req.authRequest), Unauthorized);
      await assert.rejects(client.getAdvancedAuthorizationResponse(req.authRequest), RequestTimedOut);
    } finally {
      emu.shiftClock(-60);
      await assert.rejects(client.getAdvancedAuthorizationResponse(req.authRequest), Unauthorized);
    }
  });

  test('serverTimeOffsetMs follows the API clock the client measured (0 before the first call)', async () => {
    emu.shiftClock(120);
    try {
      const fresh = new ServiceFactory(emu.service.id, emu.service.privateKey, { url: emu.url }).makeServiceClient();
      assert.equal(fresh.serverTimeOffsetMs, 0);
      assert.equal(
        await fresh.getAdvancedAuthorizationResponse('00000000-0000-1000-8000-000000000000'),
        null,
        'unknown id: 204',
      );
      assert.ok(Math.abs(fresh.serverTimeOffsetMs - 120_000) <= 2_000, `offset ${fresh.serverTimeOffsetMs} ms`);
    } finally {
      emu.shiftClock(-120);
    }
  });

  test('cancel: the response is then AuthorizationRequestCanceled, and canceling twice too', async () => {
    const user = await linkedUser(emu);
    const req = await client.authorizationRequest(user);
    await client.cancelAuthorizationRequest(req.authRequest);
    await assert.rejects(client.getAdvancedAuthorizationResponse(req.authRequest), AuthorizationRequestCanceled);
    await assert.rejects(client.cancelAuthorizationRequest(req.authRequest), AuthorizationRequestCanceled);
  });

  test('busy user: AuthorizationInProgress names the pending request', async () => {
    const user = await linkedUser(emu);
    const first = await client.authorizationRequest(user, { ttl: 90 });
    await assert.rejects(client.authorizationRequest(user), (err: unknown) => {
      assert.ok(err instanceof AuthorizationInProgress);
      assert.equal(err.errorCode, 'SVC-005');
      assert.equal(err.statusCode, 409);
      assert.equal(err.authorizationRequestId, first.authRequest);
      assert.equal(err.fromSameService, true);
      assert.ok(err.expires instanceof Date && err.expires.getTime() > Date.now());
      return true;
    });
    await client.cancelAuthorizationRequest(first.authRequest);
  });

  test('unknown user: EntityNotFound; unknown request id: null', async () => {
    await assert.rejects(client.authorizationRequest('nobody-at-all'), EntityNotFound);
    assert.equal(await client.getAdvancedAuthorizationResponse('6a0c0a3e-0000-1000-8000-000000000000'), null);
  });

  test('client-side checks: policy must be an AuthPolicy, denial reasons DenialReason items', async () => {
    await assert.rejects(
      client.authorizationRequest('x', { policy: new MethodAmountPolicy({ amount: 1 }) as never }),
      InvalidParameters,
    );
    await assert.rejects(
      client.authorizationRequest('x', { denialReasons: [{ id: 'a' }] as never }),
      InvalidParameters,
    );
    await assert.rejects(client.authorizationRequest('x', { denialReasons: 'a' as never }), InvalidParameters);
  });

  test('deprecated authorize returns the request id', async () => {
    const user = await linkedUser(emu);
    const id = await client.authorize(user);
    assert.match(id, /^[0-9a-f-]{36}$/);
    await client.cancelAuthorizationRequest(id);
  });
});

describe('other credentials and algorithms', () => {
  test('Python-SDK choices (RS512, RSA-OAEP without cty, S512 hashes) interoperate with the emulator', async () => {
    const transport = new JOSETransport({
      jwtAlgorithm: 'RS512',
      jweCekEncryption: 'RSA-OAEP',
      contentHashAlgorithm: 'S512',
    });
    const py = new ServiceFactory(emu.service.id, emu.service.privateKey, {
      url: emu.url,
      transport,
    }).makeServiceClient();
    const user = await linkedUser(emu);
    const req = await py.authorizationRequest(user, { title: 'python style' });
    await respond(emu, req.authRequest, 'approve');
    assert.equal((await py.getAdvancedAuthorizationResponse(req.authRequest))?.authorized, true);
  });

  test(
    'an organization credential acts for the service; with single-purpose ' + 'keys the encryption key decrypts',
    async () => {
      const signatureOnly = new OrganizationFactory(emu.organization.id, emu.organization.signatureKey, {
        url: emu.url,
      });
      const svc = signatureOnly.makeServiceClient(emu.service.id);
      const user = await linkedUser(emu);
      await assert.rejects(
        svc.authorizationRequest(user),
        EntityKeyNotFound,
        'the answer is encrypted to the encryption-only key',
      );
      signatureOnly.addEncryptionPrivateKey(emu.organization.encryptionKey);
      const other = await linkedUser(emu);
      const req = await svc.authorizationRequest(other);
      await respond(emu, req.authRequest, 'approve');
      const res = await svc.getAdvancedAuthorizationResponse(req.authRequest);
      assert.equal(res?.authorized, true);
      const dual = new OrganizationFactory(emu.organization.id, emu.organization.privateKey, {
        url: emu.url,
      }).makeServiceClient(emu.service.id);
      await assert.rejects(
        dual.getAdvancedAuthorizationResponse(req.authRequest),
        EntityKeyNotFound,
        'auth_jwe is for the key that made the request',
      );
    },
  );
});

describe('sessions and TOTP', () => {
  test('session start and end; unknown user is EntityNotFound', async () => {
    const user = await linkedUser(emu);
    const req = await client.authorizationRequest(user);
    await respond(emu, req.authRequest, 'approve');
    await client.sessionStart(user, req.authRequest);
    const users = await control<Array<{ identifier: string; sessions: Array<{ authRequest: string }> }>>(
      emu,
      'GET',
      '/users',
    );
    assert.equal(users.find((u) => u.identifier === user)?.sessions[0]?.authRequest, req.authRequest);
    await client.sessionEnd(user);
    const after = await control<Array<{ identifier: string; sessions: unknown[] }>>(emu, 'GET', '/users');
    assert.equal(after.find((u) => u.identifier === user)?.sessions.length, 0);
    await client.sessionStart(user);
    await assert.rejects(client.sessionStart('nobody-at-all', req.authRequest), EntityNotFound);
    await assert.rejects(client.sessionEnd('nobody-at-all'), EntityNotFound);
  });

  test('TOTP made by the directory client verifies with the code the app shows; a wrong code does not', async () => {
    const user = await linkedUser(emu);
    await assert.rejects(client.verifyTotp(user, '123456'), EntityNotFound);
    const totp = await directory.generateUserTotp(user);
    assert.equal(typeof totp.secret, 'string');
    const { code } = await control<{ code: string }>(emu, 'GET', `/totp/${encodeURIComponent(user)}`);
    assert.equal(await client.verifyTotp(user, code), true);
    const wrong = String((Number(code) + 500000) % 1000000).padStart(code.length, '0');
    assert.equal(await client.verifyTotp(user, wrong), false);
  });
});
