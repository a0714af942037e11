/** Authorization requests end to end: creation, the simulated device's answers, polling, webhooks, expiry. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { decodeHeader, rsaOaepDecryptBase64 } from '../../lib/sdk/transport/jose-primitives';
import { keyId } from '../../lib/sdk/transport/keys';
import { TestClient } from './helpers/client';
import { Fixture } from './helpers/fixture';
import { startReceiver, type Receiver } from './helpers/receiver';
import { checkWebhook } from './helpers/webhook';

let fx: Fixture;
let hooks: Receiver;
const reasons = [
  { id: 'R-LATER', reason: 'Not now', fraud: false },
  { id: 'R-FRAUD', reason: 'Not me', fraud: true },
  { id: 'R-OTHER', reason: 'Something else', fraud: false },
];

before(async () => {
  [fx, hooks] = await Promise.all([Fixture.start(), startReceiver()]);
  fx.emu.setServiceCallbackUrl(fx.emu.service.id, `${hooks.url}/hooks/tv?source=emulator`);
  for (const u of ['alice', 'bob', 'carol', 'dave', 'erin', 'frank']) await fx.emu.linkUser(u);
});
after(async () => {
  await fx.close();
  await hooks.close();
});

interface Pending {
  authRequestId: string;
  user: string;
  serviceId: string;
  serviceName: string;
  title: string | null;
  context: string | null;
  expiresAt: string;
  denialReasons: typeof reasons;
}

async function newRequest(
  user: string,
  extra: Record<string, unknown> = {},
  signer: 'svc' | 'org' = 'svc',
): Promise<string> {
  const answer = await fx.call(
    signer,
    'POST',
    '/service/v3/auths',
    { username: user, ...extra },
    { sub: fx.entity.svc },
  );
  assert.equal(answer.status, 201, JSON.stringify(answer.data));
  return (answer.data as { auth_request: string }).auth_request;
}

async function respond(
  id: string,
  body: Record<string, unknown>,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fx.control('POST', `/auths/${id}/respond`, body);
  return { status: r.status, json: r.json as Record<string, unknown> };
}

/** Takes the next webhook, checks it, decrypts the package and the device package. */
async function nextAuthWebhook(
  aud: string,
  key = fx.keys.svc,
): Promise<{ pkg: Record<string, string>; device: Record<string, unknown> }> {
  const r = await hooks.next();
  await checkWebhook(fx.client, r, { aud, sub: fx.entity.svc, path: '/hooks/tv' });
  assert.equal(r.headers['content-type'], 'application/jose');
  const pkg = (await TestClient.decrypt(r.body, [key])) as Record<string, string>;
  const device = (await TestClient.decrypt(pkg['auth_jwe'] as string, [key])) as Record<string, unknown>;
  return { pkg, device };
}

function sha256b64url(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

describe('answering an authorization request', () => {
  test('approve: pending list, webhook with both device packages, then 200 on every poll', async () => {
    const id = await newRequest('alice', {
      title: 'Sign in',
      context: 'from 127.0.0.1',
      denial_reasons: reasons,
      ttl: 120,
    });
    const poll = await fx.call('svc', 'GET', `/service/v3/auths/${id}`);
    assert.equal(poll.status, 204);
    assert.equal(poll.body, '');

    const list = (await fx.control('GET', '/auths?user=alice')).json as Pending[];
    assert.equal(list.length, 1);
    assert.deepEqual(
      { ...list[0], expiresAt: undefined },
      {
        authRequestId: id,
        user: 'alice',
        serviceId: fx.emu.service.id,
        serviceName: 'Emulator Service',
        title: 'Sign in',
        context: 'from 127.0.0.1',
        expiresAt: undefined,
        denialReasons: reasons,
      },
    );
    assert.ok(Math.abs(Date.parse(list[0]!.expiresAt) - (Date.now() + 120_000)) < 5000);

    const methods = [
      {
        method: 'PIN_CODE',
        set: true,
        active: true,
        allowed: true,
        supported: true,
        user_required: true,
        passed: true,
        error: false,
      },
    ];
    const answer = await respond(id, { action: 'approve', methods });
    assert.equal(answer.status, 200);
    assert.equal((answer.json['webhook'] as { status: number }).status, 204);

    const { pkg, device } = await nextAuthWebhook(fx.entity.svc);
    assert.deepEqual(Object.keys(pkg).sort(), [
      'auth',
      'auth_jwe',
      'org_user_hash',
      'public_key_id',
      'service_user_hash',
      'user_push_id',
    ]);
    assert.equal(pkg['service_user_hash'], sha256b64url(fx.emu.service.id + 'alice'));
    assert.equal(pkg['service_user_hash']!.length, 43);
    assert.equal(pkg['org_user_hash'], sha256b64url(fx.emu.organization.id + 'alice'));
    assert.equal(pkg['public_key_id'], keyId(fx.keys.svc));
    assert.equal(decodeHeader(pkg['auth_jwe']!).kid, keyId(fx.keys.svc));
    assert.equal(device['auth_request'], id);
    assert.equal(device['type'], 'AUTHORIZED');
    assert.equal(device['reason'], 'APPROVED');
    assert.equal(device['denial_reason'], null);
    assert.deepEqual(device['auth_methods'], [{ ...methods[0], method: 'pin_code' }]);
    assert.equal((device['service_pins'] as string[]).length, 3);
    for (const pin of device['service_pins'] as string[]) assert.match(pin, /^\d{4}$/);
    assert.equal(device['auth_policy'], undefined);
    const legacy = JSON.parse(rsaOaepDecryptBase64(pkg['auth']!, fx.keys.svc)) as Record<string, unknown>;
    assert.deepEqual(legacy, {
      response: true,
      auth_request: id,
      device_id: device['device_id'],
      service_pins: device['service_pins'],
    });

    for (let i = 0; i < 2; i++) {
      const polled = await fx.call('svc', 'GET', `/service/v3/auths/${id}`);
      assert.equal(polled.status, 200);
      assert.deepEqual(polled.data, pkg);
    }
    assert.equal(((await fx.control('GET', '/auths?user=alice')).json as Pending[]).length, 0);
    const again = await respond(id, { action: 'deny' });
    assert.equal(again.status, 409);
    assert.match(String(again.json['error']), /answered/);
    const log = fx.emu.webhookLog.find((d) => d.kind === 'authorization_response');
    assert.equal(log?.status, 204);
    assert.equal(log?.url, `${hooks.url}/hooks/tv?source=emulator`);
  });

  test('deny: default reason is the first non-fraud one; a fraud reason makes it FRAUDULENT', async () => {
    let id = await newRequest('bob', { denial_reasons: reasons });
    await respond(id, { action: 'deny' });
    let { device } = await nextAuthWebhook(fx.entity.svc);
    assert.deepEqual([device['type'], device['reason'], device['denial_reason']], ['DENIED', 'DISAPPROVED', 'R-LATER']);

    id = await newRequest('bob', { denial_reasons: reasons });
    await respond(id, { action: 'deny', reason: 'R-OTHER' });
    ({ device } = await nextAuthWebhook(fx.entity.svc));
    assert.deepEqual([device['type'], device['reason'], device['denial_reason']], ['DENIED', 'DISAPPROVED', 'R-OTHER']);

    id = await newRequest('bob', { denial_reasons: reasons });
    await respond(id, { action: 'fraud' });
    ({ device } = await nextAuthWebhook(fx.entity.svc));
    assert.deepEqual([device['type'], device['reason'], device['denial_reason']], ['DENIED', 'FRAUDULENT', 'R-FRAUD']);

    id = await newRequest('bob', { denial_reasons: reasons });
    assert.equal((await respond(id, { action: 'deny', reason: 'NOT-OFFERED' })).status, 400);
    await respond(id, { action: 'deny', reason: 'R-FRAUD' });
    const { pkg, device: d } = await nextAuthWebhook(fx.entity.svc);
    assert.deepEqual([d['type'], d['reason']], ['DENIED', 'FRAUDULENT']);
    assert.equal(JSON.parse(rsaOaepDecryptBase64(pkg['auth']!, fx.keys.svc)).response, false);
  });

  test('without denial reasons the defaults are offered; fail answers FAILED; default auth_methods', async () => {
    const id = await newRequest('carol');
    const [pending] = (await fx.control('GET', '/auths?user=carol')).json as Pending[];
    assert.equal(pending?.denialReasons.length, 2);
    assert.equal((await respond(id, { action: 'explode' })).status, 400);
    await respond(id, { action: 'fail', reason: 'SENSOR' });
    const { device } = await nextAuthWebhook(fx.entity.svc);
    assert.deepEqual([device['type'], device['reason']], ['FAILED', 'SENSOR']);
    const methods = device['auth_methods'] as { method: string; set: boolean | null; supported: boolean }[];
    assert.deepEqual(
      methods.map((m) => m.method),
      ['wearables', 'geofencing', 'locations', 'pin_code', 'circle_code', 'face', 'fingerprint'],
    );
    assert.equal(methods[1]!.set, null);
    assert.equal(methods[0]!.supported, false);
  });

  test('an organization-signed request: package and webhook are for the organization', async () => {
    const id = await newRequest('dave', {}, 'org');
    await respond(id, { action: 'approve' });
    const { pkg } = await nextAuthWebhook(fx.entity.org, fx.keys.org);
    assert.equal(pkg['public_key_id'], keyId(fx.keys.org));
    const polled = await fx.call('svc', 'GET', `/service/v3/auths/${id}`);
    assert.equal(polled.status, 200);
    assert.equal(decodeHeader((polled.data as Record<string, string>)['auth_jwe']!).kid, keyId(fx.keys.org));
  });
});

describe('request rules', () => {
  test('busy signal: a second request while one is pending is 409 SVC-005 with error_data', async () => {
    const first = await newRequest('erin');
    const second = await fx.call('svc', 'POST', '/service/v3/auths', { username: 'erin' });
    assert.equal(second.status, 409);
    const error = second.data as { error_code: string; error_data: Record<string, unknown> };
    assert.equal(error.error_code, 'SVC-005');
    assert.equal(error.error_data['auth_request'], first);
    assert.equal(error.error_data['from_same_service'], true);
    assert.match(String(error.error_data['expires']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal((await fx.call('svc', 'DELETE', `/service/v3/auths/${first}`)).status, 204);
  });

  test(
    'cancel: 204, then GET is SVC-007 and a second cancel SVC-007; answered ' + '-> SVC-006; unknown -> 404 / 204',
    async () => {
      const id = await newRequest('erin');
      assert.equal((await fx.call('svc', 'DELETE', `/service/v3/auths/${id}`)).status, 204);
      const get = await fx.call('svc', 'GET', `/service/v3/auths/${id}`);
      assert.equal(get.status, 400);
      assert.equal((get.data as { error_code: string }).error_code, 'SVC-007');
      assert.equal(
        ((await fx.call('svc', 'DELETE', `/service/v3/auths/${id}`)).data as { error_code: string }).error_code,
        'SVC-007',
      );
      assert.equal((await respond(id, { action: 'approve' })).status, 409);

      const answered = await newRequest('erin');
      await respond(answered, { action: 'approve' });
      await hooks.next();
      assert.equal(
        ((await fx.call('svc', 'DELETE', `/service/v3/auths/${answered}`)).data as { error_code: string }).error_code,
        'SVC-006',
      );
      assert.equal((await fx.call('svc', 'DELETE', `/service/v3/auths/${randomUUID()}`)).status, 404);
      assert.equal((await fx.call('svc', 'GET', `/service/v3/auths/${randomUUID()}`)).status, 204);
      assert.equal((await respond(randomUUID(), { action: 'approve' })).status, 404);
    },
  );

  test('expiry is lazy on the emulator clock: 408, no longer pending, not busy', async () => {
    const id = await newRequest('frank', { ttl: 3 });
    fx.emu.shiftClock(4);
    try {
      const get = await fx.call('svc', 'GET', `/service/v3/auths/${id}`);
      assert.equal(get.status, 408);
      assert.equal((get.data as { error_code: string }).error_code, 'HTTP-408');
      assert.equal(((await fx.control('GET', '/auths?user=frank')).json as Pending[]).length, 0);
      assert.equal((await respond(id, { action: 'approve' })).status, 409);
      const next = await newRequest('frank');
      await fx.call('svc', 'DELETE', `/service/v3/auths/${next}`);
    } finally {
      fx.emu.shiftClock(-4);
    }
  });

  test('unknown user, missing user, user without a linked device: 404', async () => {
    for (const body of [{ username: 'nobody' }, {}, { username: null }]) {
      const answer = await fx.call('svc', 'POST', '/service/v3/auths', body);
      assert.equal(answer.status, 404);
      assert.equal((answer.data as { error_code: string }).error_code, 'HTTP-404');
    }
    assert.equal((await fx.call('dir', 'POST', '/directory/v3/devices', { identifier: 'pending-only' })).status, 201);
    assert.equal((await fx.call('svc', 'POST', '/service/v3/auths', { username: 'pending-only' })).status, 404);
  });

  test('invalid denial reasons, title or ttl: ARG-001; malformed policy: SVC-002', async () => {
    const bad = [
      { denial_reasons: [reasons[0]] },
      { denial_reasons: [reasons[0], reasons[2]] },
      { denial_reasons: [reasons[0], { ...reasons[1], id: 'R-LATER' }] },
      { title: 'x'.repeat(201) },
      { ttl: -1 },
    ];
    for (const extra of bad) {
      const answer = await fx.call('svc', 'POST', '/service/v3/auths', { username: 'alice', ...extra });
      assert.equal(answer.status, 400, JSON.stringify(extra));
      assert.equal((answer.data as { error_code: string }).error_code, 'ARG-001');
    }
    for (const policy of [
      { minimum_requirements: 'x' },
      { minimum_requirements: [{ requirement: 'authenticated', any: 2, knowledge: 1 }] },
      { factors: [{ factor: 'teleport' }] },
    ]) {
      const answer = await fx.call('svc', 'POST', '/service/v3/auths', { username: 'alice', policy });
      assert.equal(answer.status, 400);
      assert.equal((answer.data as { error_code: string }).error_code, 'SVC-002');
    }
  });
});

describe('auth_policy echo', () => {
  test('a legacy request policy: any -> amount; factor flags -> types with untyped geofences', async () => {
    let id = await newRequest('alice', {
      policy: {
        minimum_requirements: [{ requirement: 'authenticated', any: 2, knowledge: 0, inherence: 0, possession: 0 }],
        factors: [],
      },
    });
    await respond(id, { action: 'approve' });
    let { device } = await nextAuthWebhook(fx.entity.svc);
    assert.deepEqual(device['auth_policy'], { requirement: 'amount', amount: 2, types: [], geofences: [] });

    const geofence = {
      factor: 'geofence',
      requirement: 'forced requirement',
      priority: 1,
      quickfail: false,
      attributes: { locations: [{ name: 'HQ', radius: 150.5, latitude: 36.1, longitude: -115.2 }] },
    };
    id = await newRequest('alice', {
      policy: {
        minimum_requirements: [{ requirement: 'authenticated', inherence: 1, possession: 1 }],
        factors: [geofence],
      },
    });
    await respond(id, { action: 'approve' });
    ({ device } = await nextAuthWebhook(fx.entity.svc));
    assert.deepEqual(device['auth_policy'], {
      requirement: 'types',
      amount: 0,
      types: ['inherence', 'possession'],
      geofences: [{ latitude: 36.1, longitude: -115.2, radius: 150.5, name: 'HQ' }],
    });
  });

  test('no request policy: the service policy (COND_GEO -> cond_geo with its fences; FACTORS -> types)', async () => {
    const service = fx.emu.state.findService(fx.emu.service.id)!;
    const fences = [
      { type: 'TERRITORY', name: 'Nevada', country: 'US', administrative_area: 'US-NV', postal_code: '89123' },
      { type: 'GEO_CIRCLE', name: 'HQ', latitude: 1.5, longitude: 2.5, radius: 100 },
    ];
    service.policy = {
      type: 'COND_GEO',
      fences,
      inside: { type: 'METHOD_AMOUNT', amount: 1, fences: [] },
      outside: { type: 'FACTORS', factors: ['KNOWLEDGE'], fences: [] },
      deny_rooted_jailbroken: false,
      deny_emulator_simulator: false,
    };
    try {
      let id = await newRequest('alice');
      await respond(id, { action: 'approve' });
      let { device } = await nextAuthWebhook(fx.entity.svc);
      assert.deepEqual(device['auth_policy'], { requirement: 'cond_geo', amount: 0, types: [], geofences: fences });

      service.policy = {
        type: 'FACTORS',
        factors: ['INHERENCE', 'POSSESSION'],
        fences: [],
        deny_rooted_jailbroken: false,
        deny_emulator_simulator: false,
      };
      id = await newRequest('alice');
      await respond(id, { action: 'approve' });
      ({ device } = await nextAuthWebhook(fx.entity.svc));
      assert.deepEqual(device['auth_policy'], {
        requirement: 'types',
        amount: 0,
        types: ['inherence', 'possession'],
        geofences: [],
      });
    } finally {
      service.policy = null;
    }
  });
});

describe('sessions and session end webhooks', () => {
  interface User {
    identifier: string;
    sessions: { serviceId: string; serviceName: string; authRequest: string | null; created: string }[];
  }
  async function sessionsOf(identifier: string): Promise<User['sessions']> {
    const users = (await fx.control('GET', '/users')).json as User[];
    return users.find((u) => u.identifier === identifier)?.sessions ?? [];
  }

  test('logout from the phone: plain JSON webhook to the issuer of the session start, sessions removed', async () => {
    const authRequest = randomUUID();
    assert.equal(
      (
        await fx.call(
          'org',
          'POST',
          '/service/v3/sessions',
          { username: 'alice', auth_request: authRequest },
          { sub: fx.entity.svc },
        )
      ).status,
      204,
    );
    const [session] = await sessionsOf('alice');
    assert.deepEqual(
      { ...session, created: undefined },
      { serviceId: fx.emu.service.id, serviceName: 'Emulator Service', authRequest, created: undefined },
    );
    assert.match(String(session?.created), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const out = await fx.control('POST', '/logout', { user: 'alice' });
    assert.equal(out.status, 200);
    const r = await hooks.next();
    await checkWebhook(fx.client, r, { aud: fx.entity.org, sub: fx.entity.svc, path: '/hooks/tv' });
    assert.equal(r.headers['content-type'], 'application/json');
    const body = JSON.parse(r.body) as { service_user_hash: string; api_time: string };
    assert.equal(body.service_user_hash, sha256b64url(fx.emu.service.id + 'alice'));
    assert.match(body.api_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(await sessionsOf('alice'), []);
    assert.equal((await fx.control('POST', '/logout', { user: 'nobody' })).status, 404);
  });

  test('DELETE /directory/v3/sessions ends sessions with webhooks; DELETE /service/v3/sessions does not', async () => {
    await fx.call('svc', 'POST', '/service/v3/sessions', { username: 'bob', auth_request: randomUUID() });
    const list = await fx.call('dir', 'POST', '/directory/v3/sessions/list', { identifier: 'bob' });
    assert.equal(list.status, 200);
    const [session] = list.data as Record<string, unknown>[];
    assert.deepEqual(Object.keys(session ?? {}).sort(), [
      'auth_request',
      'date_created',
      'service_icon',
      'service_id',
      'service_name',
    ]);
    assert.equal((await fx.call('dir', 'DELETE', '/directory/v3/sessions', { identifier: 'bob' })).status, 204);
    await checkWebhook(fx.client, await hooks.next(), { aud: fx.entity.svc, sub: fx.entity.svc, path: '/hooks/tv' });
    assert.deepEqual(await sessionsOf('bob'), []);

    await fx.call('svc', 'POST', '/service/v3/sessions', { username: 'bob' });
    const before = hooks.received.length;
    assert.equal((await fx.call('svc', 'DELETE', '/service/v3/sessions', { username: 'bob' })).status, 204);
    assert.deepEqual(await sessionsOf('bob'), []);
    assert.equal(hooks.received.length, before);
    assert.equal((await fx.call('svc', 'DELETE', '/service/v3/sessions', { username: 'nobody' })).status, 404);
    assert.equal((await fx.call('svc', 'POST', '/service/v3/sessions', { username: 'nobody' })).status, 404);
  });
});

describe('control API', () => {
  test('a failed webhook delivery is logged with status null and the reason; /webhooks lists deliveries', async () => {
    const dead = await startReceiver();
    const deadUrl = `${dead.url}/gone`;
    await dead.close();
    fx.emu.setServiceCallbackUrl(fx.emu.service.id, deadUrl);
    try {
      const id = await newRequest('carol');
      const answer = await respond(id, { action: 'approve' });
      assert.equal(answer.status, 200);
      const webhook = answer.json['webhook'] as { status: number | null; error: string; url: string; kind: string };
      assert.equal(webhook.status, null);
      assert.equal(webhook.url, deadUrl);
      assert.match(webhook.error, /ECONNREFUSED/);
      const log = (await fx.control('GET', '/webhooks')).json as {
        url: string;
        kind: string;
        status: number | null;
        time: string;
      }[];
      const last = log.at(-1);
      assert.deepEqual([last?.url, last?.kind, last?.status], [deadUrl, 'authorization_response', null]);
      assert.match(String(last?.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal((await fx.call('svc', 'GET', `/service/v3/auths/${id}`)).status, 200);
    } finally {
      fx.emu.setServiceCallbackUrl(fx.emu.service.id, `${hooks.url}/hooks/tv?source=emulator`);
    }
  });

  test('errors are JSON {error} with 4xx; the clock can be shifted over HTTP', async () => {
    const missing = await fx.control('GET', '/nothing');
    assert.equal(missing.status, 404);
    assert.equal(typeof (missing.json as { error: string }).error, 'string');
    assert.equal((await fx.control('DELETE', '/users')).status, 405);
    const badJson = await fetch(`${fx.emu.url}/_emulator/logout`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{not json',
    });
    assert.equal(badJson.status, 400);
    assert.match(((await badJson.json()) as { error: string }).error, /not JSON/);
    assert.equal((await fx.control('POST', '/logout', {})).status, 400);
    assert.equal((await fx.control('POST', '/clock', { shiftSeconds: 'x' })).status, 400);
    const shifted = (await fx.control('POST', '/clock', { shiftSeconds: 3600 })).json as {
      offsetSeconds: number;
      now: string;
    };
    try {
      assert.equal(shifted.offsetSeconds, 3600);
      const ping = (await (await fetch(`${fx.emu.url}/public/v3/ping`)).json()) as { api_time: string };
      assert.ok(Date.parse(ping.api_time) - Date.now() > 3_500_000);
    } finally {
      await fx.control('POST', '/clock', { shiftSeconds: -3600 });
    }
  });
});

describe('more request and answer rules', () => {
  test(
    'username may be the user push id; an unknown user is 404 even with a ' + 'policy (checked before the policy)',
    async () => {
      const pushId = fx.emu.state.findUser(fx.emu.directory.id, 'dave')!.pushId;
      const id = await newRequest(pushId);
      const [pending] = (await fx.control('GET', '/auths?user=dave')).json as Pending[];
      assert.equal(pending?.authRequestId, id);
      await respond(id, { action: 'approve' });
      const { pkg } = await nextAuthWebhook(fx.entity.svc);
      assert.equal(pkg['user_push_id'], pushId);
      assert.equal(pkg['service_user_hash'], sha256b64url(fx.emu.service.id + 'dave'));

      const policy = { minimum_requirements: [{ requirement: 'authenticated', any: 1 }], factors: [] };
      for (const p of [policy, { minimum_requirements: 'x' }]) {
        const unknown = await fx.call('svc', 'POST', '/service/v3/auths', { username: 'nobody', policy: p });
        assert.equal(unknown.status, 404);
        assert.equal((unknown.data as { error_code: string }).error_code, 'HTTP-404');
      }
    },
  );

  test(
    'device_ids: the linked devices in device-list order (not pending ' + 'ones); push_package is a non-empty string',
    async () => {
      const first = await fx.emu.linkUser('hank');
      assert.equal((await fx.call('dir', 'POST', '/directory/v3/devices', { identifier: 'hank' })).status, 201);
      const second = await fx.emu.linkUser('hank');
      const created = await fx.call('svc', 'POST', '/service/v3/auths', { username: 'hank' });
      assert.equal(created.status, 201);
      const result = created.data as { auth_request: string; push_package: string; device_ids: string[] };
      assert.deepEqual(result.device_ids, [first.deviceId, second.deviceId]);
      assert.equal(typeof result.push_package, 'string');
      assert.notEqual(result.push_package, '');
      assert.equal((await fx.call('svc', 'DELETE', `/service/v3/auths/${result.auth_request}`)).status, 204);
    },
  );

  test(
    'denial context inquiry disabled on the directory: no reasons offered, ' + 'denials carry denial_reason null',
    async () => {
      const inquiry = (enabled: boolean): Promise<{ status: number }> =>
        fx.call('org', 'PATCH', '/organization/v3/directories', {
          directory_id: fx.emu.directory.id,
          denial_context_inquiry_enabled: enabled,
        });
      assert.equal((await inquiry(false)).status, 204);
      try {
        let id = await newRequest('erin', { denial_reasons: reasons });
        const [pending] = (await fx.control('GET', '/auths?user=erin')).json as Pending[];
        assert.deepEqual(pending?.denialReasons, []);
        assert.equal((await respond(id, { action: 'deny', reason: 'R-LATER' })).status, 400);
        await respond(id, { action: 'deny' });
        let { device } = await nextAuthWebhook(fx.entity.svc);
        assert.deepEqual([device['type'], device['reason'], device['denial_reason']], ['DENIED', 'DISAPPROVED', null]);

        id = await newRequest('erin');
        await respond(id, { action: 'fraud' });
        ({ device } = await nextAuthWebhook(fx.entity.svc));
        assert.deepEqual([device['type'], device['reason'], device['denial_reason']], ['DENIED', 'FRAUDULENT', null]);
      } finally {
        assert.equal((await inquiry(true)).status, 204);
      }
      const id = await newRequest('erin', { denial_reasons: reasons });
      const [pending] = (await fx.control('GET', '/auths?user=erin')).json as Pending[];
      assert.deepEqual(pending?.denialReasons, reasons);
      await respond(id, { action: 'deny' });
      await nextAuthWebhook(fx.entity.svc);
    },
  );

  test('an answered request is 200 on every poll until it expires, then 408', async () => {
    await fx.emu.linkUser('gina');
    const id = await newRequest('gina', { ttl: 60 });
    await respond(id, { action: 'approve' });
    await nextAuthWebhook(fx.entity.svc);
    assert.equal((await fx.call('svc', 'GET', `/service/v3/auths/${id}`)).status, 200);
    fx.emu.shiftClock(61);
    try {
      // the request JWT is stamped with the shifted time, so that it is not rejected as expired
      const late = await fx.call('svc', 'GET', `/service/v3/auths/${id}`, undefined, { timeOffset: 61 });
      assert.equal(late.status, 408);
      assert.equal((late.data as { error_code: string }).error_code, 'HTTP-408');
    } finally {
      fx.emu.shiftClock(-61);
    }
  });

  test(
    'authResponseType: the webhook body carries type ' + 'AUTHORIZATION_RESPONSE, the polled package does not',
    async () => {
      const [other, otherHooks] = await Promise.all([Fixture.start({ authResponseType: true }), startReceiver()]);
      try {
        other.emu.setServiceCallbackUrl(other.emu.service.id, `${otherHooks.url}/hooks/tv`);
        await other.emu.linkUser('alice');
        const created = await other.call('svc', 'POST', '/service/v3/auths', { username: 'alice' });
        const id = (created.data as { auth_request: string }).auth_request;
        assert.equal((await other.control('POST', `/auths/${id}/respond`, { action: 'approve' })).status, 200);
        const r = await otherHooks.next();
        await checkWebhook(other.client, r, { aud: other.entity.svc, sub: other.entity.svc, path: '/hooks/tv' });
        const body = (await TestClient.decrypt(r.body, [other.keys.svc])) as Record<string, string>;
        assert.equal(body['type'], 'AUTHORIZATION_RESPONSE');
        const polled = (await other.call('svc', 'GET', `/service/v3/auths/${id}`)).data as Record<string, string>;
        assert.equal(polled['type'], undefined);
        assert.deepEqual({ ...body, type: undefined }, { ...polled, type: undefined });
      } finally {
        await Promise.all([other.close(), otherHooks.close()]);
      }
    },
  );

  test('GET /_emulator/ (and /_emulator) answers the device simulator page as HTML', async () => {
    for (const path of ['/_emulator/', '/_emulator']) {
      const page = await fetch(`${fx.emu.url}${path}`);
      assert.equal(page.status, 200);
      assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(page.headers.get('cache-control'), 'no-store');
      const html = await page.text();
      assert.match(html, /^<!doctype html>/i);
      assert.match(html, /<title>TruValidate device simulator<\/title>/);
      assert.match(html, /'\/_emulator'/);
    }
    assert.equal(fx.emu.simulatorUrl, `${fx.emu.url}/_emulator/`);
  });
});
