/**
 * Unit tests of the JOSE transport's request building and response checks (docs/protocol.md §4-§8) against a tiny local
 * stand-in of the wire protocol (helpers/mini-api.ts) that signs and encrypts with the shared primitives.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JOSETransport } from '../../lib/sdk/transport/jose-transport';
import { contentHash, encryptJwe, signJwt } from '../../lib/sdk/transport/jose-primitives';
import { keyId, parseRsaPrivateKey, parseRsaPublicKey } from '../../lib/sdk/transport/keys';
import {
  AuthorizationInProgress,
  EntityKeyNotFound,
  EntityNotFound,
  InvalidAlgorithm,
  JWTValidationFailure,
  LaunchKeyAPIException,
  NoIssuerKey,
  ServerError,
  Unauthorized,
  UnexpectedAPIResponse,
} from '../../lib/sdk/errors';
import { rsaPair, type PemPair } from './helpers/keys';
import { startMiniApi, type MiniApi } from './helpers/mini-api';

const SVC = '9ecc57e0-fb0f-11ed-be56-0242ac120002';
const ISS = `svc:${SVC}`;
let apiSign: PemPair;
let apiEnc: PemPair;
let entity: PemPair;
let other: PemPair;
let api: MiniApi;

function transport(options: ConstructorParameters<typeof JOSETransport>[0] = {}): JOSETransport {
  const t = new JOSETransport(options);
  t.setUrl(api.url, false);
  t.setIssuer('svc', SVC, entity.privateKey);
  return t;
}

before(async () => {
  apiSign = rsaPair();
  apiEnc = rsaPair();
  entity = rsaPair();
  other = rsaPair();
  api = await startMiniApi(apiSign.privateKey, apiEnc.privateKey);
  api.addEntityKey(entity.publicKey);
});
after(() => api.close());
beforeEach(() => {
  api.requests.length = 0;
  api.hits.clear();
  api.alter = null;
  api.ping = null;
  api.offsetSeconds = 0;
  api.routes.clear();
  api.routes.set('POST /service/v3/auths', (r) => ({ status: 201, body: { echo: r.plaintext } }));
  api.routes.set('GET /service/v3/thing', () => ({ status: 200, body: [1, 2, 3] }));
  api.routes.set('DELETE /service/v3/empty', () => ({ status: 204 }));
});

describe('request JWT and body', () => {
  test('POST: header, exact claims, body hash, JWE header, HTTP headers, decrypted answer', async () => {
    const t = transport();
    const res = await t.post('/service/v3/auths', ISS, { username: 'alice' });
    assert.equal(res.statusCode, 201);
    assert.deepEqual(res.data, { echo: { username: 'alice' } });
    const [r] = api.requests;
    assert.ok(r);
    assert.deepEqual(r.jwtHeader, { alg: 'RS256', kid: keyId(entity.publicKey) });
    assert.deepEqual(Object.keys(r.claims).sort(), ['aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'request', 'sub']);
    assert.equal(r.claims['iss'], ISS);
    assert.equal(r.claims['sub'], ISS);
    assert.equal(r.claims['aud'], 'lka');
    assert.equal(r.claims['nbf'], r.claims['iat']);
    assert.equal(r.claims['exp'], (r.claims['iat'] as number) + 5);
    assert.match(String(r.claims['jti']), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(r.claims['request'], {
      meth: 'POST',
      path: '/service/v3/auths',
      func: 'S256',
      hash: contentHash('S256', r.rawBody),
    });
    assert.deepEqual(r.jweHeader, {
      alg: 'RSA-OAEP-256',
      enc: 'A256CBC-HS512',
      kid: api.encryptionKid,
      cty: 'application/json',
    });
    assert.equal(r.headers['content-type'], 'application/jose');
    assert.equal(r.headers['accept-encoding'], 'identity');
    assert.match(String(r.headers['user-agent']), /^NodeServiceSDK\/4\.0\.1 \(\S+ \S+\)$/);
    assert.match(String(r.headers['authorization']), /^IOV-JWT [\w-]+\.[\w-]+\.[\w-]+$/);
  });

  test('GET and empty bodies: no func/hash, no Content-Type, no body', async () => {
    const t = transport();
    const res = await t.get('/service/v3/thing', ISS);
    assert.deepEqual(res.data, [1, 2, 3]);
    const del = await t.delete('/service/v3/empty', ISS, {});
    assert.equal(del.statusCode, 204);
    assert.equal(del.data, null);
    for (const r of api.requests) {
      assert.equal(r.rawBody, '');
      assert.equal(r.headers['content-type'], undefined);
      assert.deepEqual(Object.keys(r.claims['request'] as object).sort(), ['meth', 'path']);
    }
    assert.equal(api.requests[1]?.method, 'DELETE');
  });

  test('options: RS512, RSA-OAEP (no cty), S384', async () => {
    const t = transport({ jwtAlgorithm: 'RS512', jweCekEncryption: 'RSA-OAEP', contentHashAlgorithm: 'S384' });
    await t.post('/service/v3/auths', ISS, { username: 'bob' });
    const [r] = api.requests;
    assert.equal(r?.jwtHeader['alg'], 'RS512');
    assert.deepEqual(r?.jweHeader, { alg: 'RSA-OAEP', enc: 'A256CBC-HS512', kid: api.encryptionKid });
    assert.deepEqual(r?.claims['request'], {
      meth: 'POST',
      path: '/service/v3/auths',
      func: 'S384',
      hash: contentHash('S384', r?.rawBody ?? ''),
    });
  });

  test('unsupported options are InvalidAlgorithm', () => {
    const bad = [
      { jwtAlgorithm: 'HS256' },
      { jweCekEncryption: 'RSA1_5' },
      { jweClaimsEncryption: 'A128GCM' },
      { contentHashAlgorithm: 'S1' },
    ];
    for (const o of bad) assert.throws(() => new JOSETransport(o as never), InvalidAlgorithm);
  });

  test('a transport without issuer is NoIssuerKey', async () => {
    const t = new JOSETransport();
    t.setUrl(api.url, false);
    await assert.rejects(t.get('/service/v3/thing', ISS), NoIssuerKey);
  });
});

describe('caches and drift', () => {
  test('ping and the current key are fetched once for several calls; key ids keep raw colons', async () => {
    const t = transport();
    for (let i = 0; i < 3; i++) await t.post('/service/v3/auths', ISS, { username: 'alice' });
    assert.equal(api.hits.get('/public/v3/ping'), 1);
    assert.equal(api.hits.get('/public/v3/public-key'), 1);
    assert.equal(api.hits.get(`/public/v3/public-key/${api.signingKid}`), 1, 'signing key fetched by raw kid path');
  });

  test('request times follow the API clock; answers from a shifted clock verify', async () => {
    api.offsetSeconds = 3600;
    const t = transport();
    await t.get('/service/v3/thing', ISS);
    const iat = api.requests[0]?.claims['iat'] as number;
    assert.ok(Math.abs(iat - (Date.now() / 1000 + 3600)) < 3, `iat ${iat} follows the API clock`);
  });

  for (const [name, ping] of [
    ['HTTP 500', (res: import('node:http').ServerResponse) => res.writeHead(500).end()],
    ['not JSON', (res: import('node:http').ServerResponse) => res.writeHead(200).end('pong')],
    ['no api_time', (res: import('node:http').ServerResponse) => res.writeHead(200).end('{"time":"x"}')],
  ] as const) {
    test(`bad ping (${name}) is UnexpectedAPIResponse and the call is not sent`, async () => {
      api.ping = ping;
      const t = transport();
      await assert.rejects(t.get('/service/v3/thing', ISS), UnexpectedAPIResponse);
      assert.equal(api.requests.length, 0);
    });
  }
});

describe('response checks (docs/protocol.md §6.3)', () => {
  const cases: Array<
    [string, (a: Parameters<NonNullable<MiniApi['alter']>>[0]) => void, new (...args: never[]) => Error, RegExp?]
  > = [
    ['missing X-IOV-JWT', (a) => (a.dropJwt = true), UnexpectedAPIResponse],
    [
      'unknown kid',
      (a) => (a.kid = '00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff'),
      UnexpectedAPIResponse,
      /Key was not found/,
    ],
    ['no kid', (a) => (a.kid = undefined), JWTValidationFailure],
    ['signed by another key', (a) => (a.signWith = parseRsaPrivateKey(other.privateKey)), JWTValidationFailure],
    ['iss', (a) => (a.claims['iss'] = 'lkb'), JWTValidationFailure],
    ['aud', (a) => (a.claims['aud'] = 'svc:00000000-0000-0000-0000-000000000000'), JWTValidationFailure],
    ['sub', (a) => (a.claims['sub'] = 'svc:00000000-0000-0000-0000-000000000000'), JWTValidationFailure],
    ['jti', (a) => (a.claims['jti'] = 'another'), JWTValidationFailure],
    ['nbf in the future', (a) => (a.claims['nbf'] = (a.claims['nbf'] as number) + 100), JWTValidationFailure],
    ['iat in the future', (a) => (a.claims['iat'] = (a.claims['iat'] as number) + 100), JWTValidationFailure],
    ['exp in the past', (a) => (a.claims['exp'] = (a.claims['iat'] as number) - 100), JWTValidationFailure],
    ['no response claim', (a) => delete a.claims['response'], JWTValidationFailure],
    [
      'status differs',
      (a) => ((a.claims['response'] as Record<string, unknown>)['status'] = 200),
      JWTValidationFailure,
    ],
    ['cache claim without header', (a) => delete a.headers['Cache-Control'], JWTValidationFailure],
    [
      'cache header without claim',
      (a) => delete (a.claims['response'] as Record<string, unknown>)['cache'],
      JWTValidationFailure,
    ],
    ['cache value differs', (a) => (a.headers['Cache-Control'] = 'public'), JWTValidationFailure],
    ['location header without claim', (a) => (a.headers['Location'] = '/elsewhere'), JWTValidationFailure],
    [
      'location claim without header',
      (a) => ((a.claims['response'] as Record<string, unknown>)['location'] = '/x'),
      JWTValidationFailure,
    ],
    [
      'body hash differs',
      (a) => ((a.claims['response'] as Record<string, unknown>)['hash'] = contentHash('S256', 'other')),
      JWTValidationFailure,
    ],
    [
      'body without hash',
      (a) => delete (a.claims['response'] as Record<string, unknown>)['hash'],
      JWTValidationFailure,
    ],
    [
      'unsupported hash function',
      (a) => ((a.claims['response'] as Record<string, unknown>)['func'] = 'MD5'),
      JWTValidationFailure,
    ],
    [
      'tampered body',
      (a) => (a.rawBody = a.rawBody.slice(0, -2) + (a.rawBody.endsWith('AA') ? 'BB' : 'AA')),
      JWTValidationFailure,
    ],
  ];
  for (const [name, alter, cls, message] of cases) {
    test(`refuses: ${name}`, async () => {
      api.alter = alter;
      const t = transport();
      await assert.rejects(t.post('/service/v3/auths', ISS, { username: 'alice' }), (err: unknown) => {
        assert.ok(err instanceof cls, `${name}: got ${String(err)}`);
        if (message) assert.match((err as Error).message, message);
        return true;
      });
    });
  }

  test('empty body with a hash claim is refused', async () => {
    api.alter = (a) => Object.assign(a.claims['response'] as object, { func: 'S256', hash: contentHash('S256', '') });
    await assert.rejects(transport().delete('/service/v3/empty', ISS), JWTValidationFailure);
  });

  test('within the 30 s leeway and with reordered Cache-Control values the answer verifies', async () => {
    api.alter = (a) => {
      a.claims['iat'] = (a.claims['iat'] as number) + 20;
      a.claims['nbf'] = a.claims['iat'];
      a.headers['Cache-Control'] = 'no-store, private';
      (a.claims['response'] as Record<string, unknown>)['cache'] = 'private,no-store';
    };
    const res = await transport().get('/service/v3/thing', ISS);
    assert.deepEqual(res.data, [1, 2, 3]);
  });

  test('a JWE body to a key the client does not hold is EntityKeyNotFound', async () => {
    const otherKey = parseRsaPublicKey(other.publicKey);
    const body = await encryptJwe('{"a":1}', otherKey, keyId(otherKey));
    api.alter = (a) => {
      a.rawBody = body;
      (a.claims['response'] as Record<string, unknown>)['hash'] = contentHash('S256', body);
    };
    await assert.rejects(transport().get('/service/v3/thing', ISS), EntityKeyNotFound);
  });

  test('a JWE body with a second registered key decrypts (addEncryptionPrivateKey)', async () => {
    const otherKey = parseRsaPublicKey(other.publicKey);
    const body = await encryptJwe('{"a":1}', otherKey, keyId(otherKey));
    api.alter = (a) => {
      a.rawBody = body;
      (a.claims['response'] as Record<string, unknown>)['hash'] = contentHash('S256', body);
    };
    const t = transport();
    assert.equal(t.addEncryptionPrivateKey(other.privateKey), true);
    assert.equal(t.addEncryptionPrivateKey(other.privateKey), false);
    assert.deepEqual((await t.get('/service/v3/thing', ISS)).data, { a: 1 });
  });
});

describe('status handling and errors', () => {
  test('401 is Unauthorized without verifying anything', async () => {
    api.routes.set('GET /service/v3/thing', () => ({ status: 401 }));
    api.alter = (a) => (a.dropJwt = true);
    await assert.rejects(transport().get('/service/v3/thing', ISS), Unauthorized);
  });

  test('SVC-005 with 409 is AuthorizationInProgress with its data', async () => {
    const expires = '2030-01-01T00:00:00Z';
    api.routes.set('POST /service/v3/auths', () => ({
      status: 409,
      body: {
        error_code: 'SVC-005',
        error_detail: 'busy',
        error_data: { auth_request: 'abc', expires, from_same_service: true },
      },
    }));
    await assert.rejects(transport().post('/service/v3/auths', ISS, { username: 'a' }), (err: unknown) => {
      assert.ok(err instanceof AuthorizationInProgress);
      assert.equal(err.statusCode, 409);
      assert.equal(err.authorizationRequestId, 'abc');
      assert.equal(err.expires?.toISOString(), '2030-01-01T00:00:00.000Z');
      assert.equal(err.fromSameService, true);
      return true;
    });
  });

  test('404 maps by status; an unknown code with 400 is a plain LaunchKeyAPIException', async () => {
    api.routes.set('GET /service/v3/thing', () => ({
      status: 404,
      body: { error_code: 'HTTP-404', error_detail: 'no' },
    }));
    await assert.rejects(transport().get('/service/v3/thing', ISS), EntityNotFound);
    api.routes.set('GET /service/v3/thing', () => ({
      status: 400,
      body: { error_code: 'XYZ-999', error_detail: 'odd' },
    }));
    await assert.rejects(transport().get('/service/v3/thing', ISS), (err: unknown) => {
      assert.equal((err as Error).constructor, LaunchKeyAPIException);
      assert.equal((err as LaunchKeyAPIException).errorCode, 'XYZ-999');
      return true;
    });
  });

  test('5xx without X-IOV-JWT is ServerError', async () => {
    api.routes.set('GET /service/v3/thing', () => ({ status: 503 }));
    api.alter = (a) => (a.dropJwt = true);
    await assert.rejects(
      transport().get('/service/v3/thing', ISS),
      (err: unknown) => err instanceof ServerError && err.statusCode === 503,
    );
  });

  test('network failure is UnexpectedAPIResponse naming the URL', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const t = new JOSETransport();
    t.setUrl(`http://127.0.0.1:${port}`, false);
    t.setIssuer('svc', SVC, entity.privateKey);
    await assert.rejects(t.get('/service/v3/thing', ISS), (err: unknown) => {
      assert.ok(err instanceof UnexpectedAPIResponse);
      assert.match(err.message, new RegExp(`http://127\\.0\\.0\\.1:${port}/public/v3/ping`));
      assert.match(err.message, /ECONNREFUSED/);
      return true;
    });
  });
});

describe('verifyJwtRequest (webhook JWT)', () => {
  async function webhookJwt(
    overrides: Record<string, unknown> = {},
    body = '{"x":1}',
    signWith = apiSign.privateKey,
    kid?: string,
  ) {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: 'lka',
      aud: ISS,
      sub: ISS,
      iat: now,
      nbf: now,
      exp: now + 30,
      jti: 'j1',
      request: { meth: 'POST', path: '/hooks', func: 'S256', hash: contentHash('S256', body) },
      ...overrides,
    };
    return signJwt(claims, parseRsaPrivateKey(signWith), 'RS256', kid ?? api.signingKid, 'JWT');
  }

  test('a good webhook JWT verifies and returns its claims', async () => {
    const claims = await transport().verifyJwtRequest(await webhookJwt(), ISS, 'POST', '/hooks', '{"x":1}');
    assert.equal(claims.jti, 'j1');
  });

  const bad: Array<[string, () => Promise<[string, string, string, string]>]> = [
    ['wrong method', async () => [await webhookJwt(), ISS, 'PUT', '/hooks']],
    ['wrong path', async () => [await webhookJwt(), ISS, 'POST', '/other']],
    ['wrong sub', async () => [await webhookJwt(), 'svc:00000000-0000-0000-0000-000000000000', 'POST', '/hooks']],
    ['wrong aud', async () => [await webhookJwt({ aud: 'dir:x' }), ISS, 'POST', '/hooks']],
    ['wrong iss', async () => [await webhookJwt({ iss: 'x' }), ISS, 'POST', '/hooks']],
    ['expired', async () => [await webhookJwt({ exp: 1000 }), ISS, 'POST', '/hooks']],
    ['no request claim', async () => [await webhookJwt({ request: undefined }), ISS, 'POST', '/hooks']],
    ['forged signature', async () => [await webhookJwt({}, '{"x":1}', other.privateKey), ISS, 'POST', '/hooks']],
  ];
  for (const [name, make] of bad) {
    test(`refuses: ${name}`, async () => {
      const [jwt, sub, method, path] = await make();
      await assert.rejects(transport().verifyJwtRequest(jwt, sub, method, path, '{"x":1}'), JWTValidationFailure);
    });
  }

  test('refuses a tampered body', async () => {
    await assert.rejects(
      transport().verifyJwtRequest(await webhookJwt(), ISS, 'POST', '/hooks', '{"x":2}'),
      JWTValidationFailure,
    );
  });

  test('parseApiTime gives Unix seconds', () => {
    assert.equal(transport().parseApiTime('2024-02-29T13:05:09Z'), 1709211909);
    assert.throws(() => transport().parseApiTime('yesterday'), UnexpectedAPIResponse);
  });
});
