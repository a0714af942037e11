/** Request verification (docs/protocol.md §4.3) and answer construction (§6.5) of the emulator, over real HTTP. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { contentHash, decodeHeader } from '../../lib/sdk/transport/jose-primitives';
import { keyId, parseRsaPublicKey } from '../../lib/sdk/transport/keys';
import { privateKey, TestClient, type SignedRequestOptions } from './helpers/client';
import { Fixture } from './helpers/fixture';

let fx: Fixture;
const logs: string[] = [];

before(async () => {
  fx = await Fixture.start({ log: (l) => logs.push(l) });
  await fx.emu.linkUser('alice');
});
after(() => fx.close());

/** A valid request of each shape, used as the base of the failure cases. */
function svcGet(extra: Partial<SignedRequestOptions> = {}) {
  return fx.client.send({
    method: 'GET',
    path: `/service/v3/auths/${randomUUID()}`,
    iss: fx.entity.svc,
    sub: fx.entity.svc,
    signingKey: fx.keys.svc,
    ...extra,
  });
}

async function assert401(answer: Awaited<ReturnType<typeof svcGet>>, aud: string, reason: RegExp): Promise<void> {
  assert.equal(answer.status, 401);
  assert.equal(answer.body, '');
  const claims = await fx.client.responseClaims(answer);
  assert.equal(claims['aud'], aud);
  assert.deepEqual(claims['response'], { status: 401, cache: 'no-store' });
  assert.match(logs.at(-1) ?? '', reason);
}

describe('public endpoints', () => {
  test('ping answers the emulator time in the API format', async () => {
    const res = await fetch(`${fx.emu.url}/public/v3/ping`);
    assert.equal(res.status, 200);
    const { api_time } = (await res.json()) as { api_time: string };
    assert.match(api_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(Math.abs(Date.parse(api_time) - Date.now()) < 5000);
  });

  test('public-key serves the current encryption key with its id; by id with raw or %3A colons', async () => {
    const res = await fetch(`${fx.emu.url}/public/v3/public-key`);
    const kid = res.headers.get('x-iov-key-id') ?? '';
    const pem = await res.text();
    assert.equal(keyId(parseRsaPublicKey(pem)), kid);
    for (const path of [kid, kid.replaceAll(':', '%3A')]) {
      const byId = await fetch(`${fx.emu.url}/public/v3/public-key/${path}`);
      assert.equal(byId.status, 200);
      assert.equal(byId.headers.get('x-iov-key-id'), kid);
      assert.equal(await byId.text(), pem);
    }
    const unknown = await fetch(`${fx.emu.url}/public/v3/public-key/00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff`);
    assert.equal(unknown.status, 404);
  });

  test('the API signs with a key other than its current encryption key, served by id', async () => {
    const answer = await svcGet();
    const signingKid = decodeHeader(answer.headers.get('x-iov-jwt') ?? '').kid;
    const encKid = (await fx.client.currentKey()).kid;
    assert.notEqual(signingKid, encKid);
    assert.equal((await fetch(`${fx.emu.url}/public/v3/public-key/${String(signingKid)}`)).status, 200);
  });
});

describe('a valid request', () => {
  test('gets a signed, encrypted answer bound to the request (kid, aud, sub, jti, status, hash, cache)', async () => {
    const answer = await fx.call('svc', 'POST', '/service/v3/auths', { username: 'alice', context: 'ctx' });
    assert.equal(answer.status, 201);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.equal(answer.headers.get('content-encoding'), null);
    const header = decodeHeader(answer.headers.get('x-iov-jwt') ?? '');
    assert.equal(header.alg, 'RS256');
    assert.equal(header.typ, 'JWT');
    const c = answer.claims;
    assert.equal(c['iss'], 'lka');
    assert.equal(c['aud'], fx.entity.svc);
    assert.equal(c['sub'], fx.entity.svc);
    assert.equal(c['jti'], answer.jti);
    assert.equal((c['exp'] as number) - (c['iat'] as number), 30);
    assert.equal(c['nbf'], c['iat']);
    assert.deepEqual(c['response'], {
      status: 201,
      cache: 'no-store',
      func: 'S256',
      hash: contentHash('S256', answer.body),
    });
    assert.equal(decodeHeader(answer.body).kid, keyId(fx.keys.svc));
    assert.equal(decodeHeader(answer.body).alg, 'RSA-OAEP-256');
    const data = answer.data as { auth_request: string; push_package: string; device_ids: string[] };
    assert.match(data.auth_request, /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-/);
    assert.ok(data.push_package.length > 0);
    assert.equal(data.device_ids.length, 1);
    const cancel = await fx.call('svc', 'DELETE', `/service/v3/auths/${data.auth_request}`);
    assert.equal(cancel.status, 204);
    assert.deepEqual(cancel.claims['response'], { status: 204, cache: 'no-store' });
  });

  test('a Python-SDK-style request is accepted (RS512, RSA-OAEP, application/jwe, extra alg claim)', async () => {
    const answer = await fx.call(
      'svc',
      'POST',
      '/service/v3/sessions',
      { username: 'alice', auth_request: randomUUID() },
      {
        alg: 'RS512',
        jweAlg: 'RSA-OAEP',
        contentType: 'application/jwe',
        claims: { alg: 'RS512' },
      },
    );
    assert.equal(answer.status, 204);
  });

  test('S384 and S512 body hashes and a DELETE body are accepted', async () => {
    for (const func of ['S384', 'S512'] as const) {
      const answer = await fx.call('svc', 'DELETE', '/service/v3/sessions', { username: 'alice' }, { func });
      assert.equal(answer.status, 204);
    }
  });

  test('an organization acts for its directory service; a directory for its service', async () => {
    for (const signer of ['org', 'dir'] as const) {
      const answer = await fx.call(
        signer,
        'POST',
        '/service/v3/sessions',
        { username: 'alice' },
        { sub: fx.entity.svc },
      );
      assert.equal(answer.status, 204);
      assert.equal(answer.claims['aud'], fx.entity[signer]);
      assert.equal(answer.claims['sub'], fx.entity.svc);
    }
  });

  test(
    'a path with %3A matches request.path with a raw colon (verification ' + 'passes, ARG-001 for the bad id)',
    async () => {
      const answer = await fx.call('svc', 'GET', '/service/v3/auths/a:b', undefined, {
        urlPath: '/service/v3/auths/a%3Ab',
      });
      assert.equal(answer.status, 400);
      assert.equal((answer.data as { error_code: string }).error_code, 'ARG-001');
    },
  );

  test('an unknown route is ARG-002', async () => {
    const answer = await fx.call('svc', 'GET', '/service/v3/nothing-here');
    assert.equal(answer.status, 400);
    assert.equal((answer.data as { error_code: string }).error_code, 'ARG-002');
  });
});

describe('single-purpose organization keys', () => {
  test('signature-only key: accepted, answer encrypted to the encryption-only key', async () => {
    const sig = privateKey(fx.emu.organization.signatureKey);
    const enc = privateKey(fx.emu.organization.encryptionKey);
    const raw = await fx.client.send({
      method: 'POST',
      path: '/service/v3/auths',
      body: { username: 'nobody' },
      iss: fx.entity.org,
      sub: fx.entity.svc,
      signingKey: sig,
    });
    assert.equal(raw.status, 404);
    assert.equal(decodeHeader(raw.body).kid, keyId(enc));
    const error = (await TestClient.decrypt(raw.body, [enc])) as Record<string, unknown>;
    assert.equal(error['error_code'], 'HTTP-404');
    assert.equal(typeof error['error_detail'], 'string');
    await assert.rejects(TestClient.decrypt(raw.body, [sig]));
  });

  test('encryption-only key used to sign: 401', async () => {
    const enc = privateKey(fx.emu.organization.encryptionKey);
    const raw = await fx.client.send({
      method: 'GET',
      path: `/service/v3/auths/${randomUUID()}`,
      iss: fx.entity.org,
      sub: fx.entity.svc,
      signingKey: enc,
    });
    await assert401(raw, fx.entity.org, /not an active, unexpired signature-capable key/);
  });
});

describe('rejected requests', () => {
  test('no Authorization header or another scheme: 401 with aud "public"', async () => {
    const res = await fetch(`${fx.emu.url}/service/v3/auths/${randomUUID()}`);
    assert.equal(res.status, 401);
    const claims = await fx.client.responseClaims({
      status: 401,
      headers: res.headers,
      body: await res.text(),
      jti: '',
    });
    assert.equal(claims['aud'], 'public');
    assert.equal(claims['jti'], undefined);
    assert.equal(claims['sub'], undefined);
    await assert401(await svcGet({ authorization: 'Bearer abc.def.ghi' }), 'public', /IOV-JWT/);
  });

  test('tampered signature: 401 echoing the claimed iss, sub and jti', async () => {
    const answer = await svcGet({ tamper: (t) => t.slice(0, -4) + (t.endsWith('AAAA') ? 'BBBB' : 'AAAA') });
    await assert401(answer, fx.entity.svc, /signature does not verify/);
    const claims = await fx.client.responseClaims(answer);
    assert.equal(claims['jti'], answer.jti);
    assert.equal(claims['sub'], fx.entity.svc);
  });

  test('kid that is not a key of the issuer: 401', async () => {
    await assert401(await svcGet({ kid: keyId(fx.keys.dir) }), fx.entity.svc, /not an active/);
  });

  test('signed by a key the issuer never registered, with the registered kid: 401', async () => {
    const { privateKey: stranger } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await assert401(
      await svcGet({ signingKey: stranger, kid: keyId(fx.keys.svc) }),
      fx.entity.svc,
      /signature does not verify/,
    );
  });

  test('unknown issuer, malformed issuer, wrong audience: 401', async () => {
    const stranger = `svc:${randomUUID()}`;
    await assert401(await svcGet({ iss: stranger }), stranger, /not a known active entity/);
    await assert401(await svcGet({ claims: { iss: 'user:alice' } }), 'user:alice', /is not <svc\|dir\|org>/);
    await assert401(await svcGet({ claims: { aud: 'api' } }), fx.entity.svc, /aud/);
  });

  test('expired, not yet valid, or too long-lived: 401', async () => {
    await assert401(await svcGet({ timeOffset: -60 }), fx.entity.svc, /exp .* has passed/);
    await assert401(await svcGet({ timeOffset: 60 }), fx.entity.svc, /in the future/);
    const now = Math.floor(Date.now() / 1000);
    await assert401(await svcGet({ claims: { iat: now, nbf: now, exp: now + 3600 } }), fx.entity.svc, /exceeds 300/);
  });

  test('replayed jti: the first use passes, the second is 401', async () => {
    const jti = randomUUID();
    const first = await svcGet({ claims: { jti } });
    assert.equal(first.status, 204);
    await assert401(await svcGet({ claims: { jti } }), fx.entity.svc, /replay/);
  });

  test('wrong method or path in the JWT: 401', async () => {
    await assert401(await svcGet({ request: { meth: 'POST' } }), fx.entity.svc, /request.meth/);
    await assert401(await svcGet({ request: { path: '/service/v3/auths/other' } }), fx.entity.svc, /request.path/);
    await assert401(await svcGet({ urlPath: `/service/v3/auths/${randomUUID()}` }), fx.entity.svc, /request.path/);
  });

  test('bad body hash, missing hash, unsupported func, hash without body: 401', async () => {
    const post = { method: 'POST', path: '/service/v3/sessions', body: { username: 'alice' } };
    await assert401(
      await svcGet({ ...post, request: { hash: '0'.repeat(64) } }),
      fx.entity.svc,
      /does not match the body/,
    );
    await assert401(await svcGet({ ...post, request: { func: undefined, hash: undefined } }), fx.entity.svc, /missing/);
    await assert401(await svcGet({ ...post, request: { func: 'MD5' } }), fx.entity.svc, /not S256/);
    await assert401(
      await svcGet({ request: { func: 'S256', hash: contentHash('S256', '') } }),
      fx.entity.svc,
      /body is empty/,
    );
  });

  test('body encrypted to a key that is not an API key: 401', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const answer = await svcGet({
      method: 'POST',
      path: '/service/v3/sessions',
      body: { username: 'alice' },
      encryptTo: { kid: keyId(publicKey), key: publicKey },
    });
    await assert401(answer, fx.entity.svc, /not a current or previous API key/);
  });

  test('body that decrypts to something other than a JSON object: 400 ARG-001', async () => {
    const answer = await fx.call('svc', 'POST', '/service/v3/sessions', undefined, { plaintext: 'not json' });
    assert.equal(answer.status, 400);
    assert.equal((answer.data as { error_code: string }).error_code, 'ARG-001');
  });

  test('issuer not allowed to act for the subject: 403 with an encrypted HTTP-403 object', async () => {
    const answer = await fx.call(
      'svc',
      'POST',
      '/directory/v3/devices/list',
      { identifier: 'alice' },
      { sub: fx.entity.dir },
    );
    assert.equal(answer.status, 403);
    assert.equal(answer.claims['aud'], fx.entity.svc);
    assert.equal(answer.claims['sub'], fx.entity.dir);
    const error = answer.data as Record<string, unknown>;
    assert.equal(error['error_code'], 'HTTP-403');
    assert.match(String(error['error_detail']), /may not act for/);
    const dirForOrg = await fx.call('dir', 'GET', `/service/v3/auths/${randomUUID()}`, undefined, {
      sub: fx.entity.org,
    });
    assert.equal(dirForOrg.status, 403);
  });

  test('a shifted emulator clock rejects requests stamped with the host clock', async () => {
    fx.emu.shiftClock(120);
    try {
      const ping = (await (await fetch(`${fx.emu.url}/public/v3/ping`)).json()) as { api_time: string };
      assert.ok(Date.parse(ping.api_time) - Date.now() > 100_000);
      await assert401(await svcGet(), fx.entity.svc, /has passed/);
      assert.equal((await svcGet({ timeOffset: 120 })).status, 204);
    } finally {
      fx.emu.shiftClock(-120);
    }
  });
});

describe('API key rotation (runs last: it changes the current keys)', () => {
  test('a new current key; bodies encrypted to the previous key are accepted until it is retired', async () => {
    const old = await fx.client.currentKey();
    const oldSigningKid = decodeHeader((await svcGet()).headers.get('x-iov-jwt') ?? '').kid;
    const rotated = (await fx.control('POST', '/api-keys/rotate', { signing: true })).json as {
      signingKeyId: string;
      encryptionKeyId: string;
    };
    assert.notEqual(rotated.encryptionKeyId, old.kid);
    assert.notEqual(rotated.signingKeyId, oldSigningKid);
    const current = await fetch(`${fx.emu.url}/public/v3/public-key`);
    assert.equal(current.headers.get('x-iov-key-id'), rotated.encryptionKeyId);

    const graced = await fx.call('svc', 'POST', '/service/v3/sessions', { username: 'alice' }, { encryptTo: old });
    assert.equal(graced.status, 204);
    assert.equal(decodeHeader(graced.headers.get('x-iov-jwt') ?? '').kid, rotated.signingKeyId);
    assert.equal((await fetch(`${fx.emu.url}/public/v3/public-key/${String(oldSigningKid)}`)).status, 200);

    assert.equal((await fx.control('POST', '/api-keys/retire', { kid: rotated.encryptionKeyId })).status, 404);
    assert.equal((await fx.control('POST', '/api-keys/retire', { kid: old.kid })).status, 200);
    const refused = await svcGet({
      method: 'POST',
      path: '/service/v3/sessions',
      body: { username: 'alice' },
      encryptTo: old,
    });
    await assert401(refused, fx.entity.svc, /not a current or previous API key/);
    assert.equal((await fetch(`${fx.emu.url}/public/v3/public-key/${old.kid}`)).status, 200);
  });
});
