import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { MemoryStore, TruValidateStrategy, TruValidateStrategyError } from 'passport-truvalidate';
import { AuthPolicy, DenialReason, ServiceFactory } from 'passport-truvalidate/sdk';

const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const serviceId = randomUUID();
const client = new ServiceFactory(serviceId, privateKey, { url: 'http://127.0.0.1:9' }).makeServiceClient();
const verify = async (): Promise<false> => false;
const stores: MemoryStore[] = [];

/** A store the test closes (the strategy does not close a store it was given). */
function store(): MemoryStore {
  const s = new MemoryStore();
  stores.push(s);
  return s;
}

function invalid(pattern: RegExp) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof TruValidateStrategyError, `expected TruValidateStrategyError, got ${String(err)}`);
    assert.equal(err.code, 'ERR_TRUVALIDATE_INVALID_OPTION');
    assert.match(err.message, pattern);
    return true;
  };
}

describe('TruValidateStrategy options', () => {
  after(async () => {
    for (const s of stores) await s.close();
  });

  test('accepts a client, or serviceId + privateKey + apiUrl, and is named truvalidate', async () => {
    const a = new TruValidateStrategy({ client, store: store() }, verify);
    assert.equal(a.name, 'truvalidate');
    assert.equal(a.client, client);
    const b = new TruValidateStrategy(
      { serviceId, privateKey, apiUrl: 'http://127.0.0.1:9', encryptionKeys: [privateKey], store: store() },
      verify,
    );
    assert.notEqual(b.client, null);
    await a.close();
    await b.close();
  });

  test('defaults to a MemoryStore', async () => {
    const s = new TruValidateStrategy({ client }, verify);
    assert.ok(s.store instanceof MemoryStore);
    await s.close();
    await s.store.close();
  });

  test('requires credentials and a verify function', () => {
    assert.throws(() => new TruValidateStrategy({}, verify), invalid(/client.*serviceId and privateKey are required/));
    assert.throws(() => new TruValidateStrategy({ client, serviceId, privateKey }, verify), invalid(/not both/));
    assert.throws(
      () => new TruValidateStrategy({ client: {} as never }, verify),
      invalid(/client must be a ServiceClient/),
    );
    assert.throws(
      () => new TruValidateStrategy({ client }, undefined as never),
      invalid(/verify function is required/),
    );
    assert.throws(() => new TruValidateStrategy(null as never, verify), invalid(/options must be an object/));
  });

  test('reports bad credentials as an option error with the SDK cause', () => {
    assert.throws(
      () => new TruValidateStrategy({ serviceId: 'not-a-uuid', privateKey }, verify),
      (err: unknown) => invalid(/cannot build the ServiceClient/)(err) && (err as Error).cause instanceof Error,
    );
    assert.throws(
      () => new TruValidateStrategy({ serviceId, privateKey: 'not a key' }, verify),
      invalid(/cannot build the ServiceClient/),
    );
    assert.throws(
      () => new TruValidateStrategy({ serviceId, privateKey, apiUrl: 'ftp://x' }, verify),
      invalid(/apiUrl must be an http\(s\) URL/),
    );
    assert.throws(
      () => new TruValidateStrategy({ serviceId, privateKey, encryptionKeys: [1 as never] }, verify),
      invalid(/encryptionKeys/),
    );
  });

  test('validates the other options with clear messages', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ usernameField: '' }, /usernameField must be a non-empty string/],
      [{ otpField: 3 }, /otpField must be a non-empty string/],
      [{ pollIntervalMs: 0 }, /pollIntervalMs must be a positive integer/],
      [{ pollIntervalMs: 1.5 }, /pollIntervalMs must be a positive integer/],
      [{ pushLimit: { max: 0, windowMs: 1000 } }, /pushLimit.max must be a positive integer/],
      [{ pushLimit: 'lots' }, /pushLimit must be/],
      [{ totpLimit: { max: 3, windowMs: -1 } }, /totpLimit.windowMs must be a positive integer/],
      [{ totpLimit: 7 }, /totpLimit must be/],
      [{ ttl: -1 }, /ttl must be a positive integer/],
      [{ title: 42 }, /title must be a string or a function/],
      [{ policy: { factors: [] } }, /policy must be an AuthPolicy/],
      [{ denialReasons: ['no'] }, /denialReasons must be an array of DenialReason/],
      [{ store: {} }, /store must implement TruValidateStore/],
      [{ passReqToCallback: 'yes' }, /passReqToCallback must be a boolean/],
      [{ pendingRedirect: '' }, /pendingRedirect must be a non-empty URL string/],
      [{ logger: 'console' }, /logger must be a function/],
      [{ logoutMarkerTtlMs: -5 }, /logoutMarkerTtlMs must be a positive integer/],
      [{ clientLimit: 'few' }, /clientLimit must be/],
      [{ clientLimit: { max: 2, windowMs: 0 } }, /clientLimit.windowMs must be a positive integer/],
      [{ allowedOrigins: ['evil.example'] }, /allowedOrigins: "evil.example" is not an origin/],
      [{ allowedOrigins: [] }, /allowedOrigins must be a non-empty array/],
      [{ allowSameSite: 'yes' }, /allowSameSite must be a boolean/],
      [{ normalizeUsername: 'lower' }, /normalizeUsername must be a function/],
      [{ username: 'alice' }, /username must be a function/],
      [{ name: '' }, /name must be a non-empty string/],
      [{ sessionKey: 7 }, /sessionKey must be a non-empty string/],
      [{ onEvent: 'log' }, /onEvent must be a function/],
    ];
    for (const [extra, pattern] of cases) {
      assert.throws(
        () => new TruValidateStrategy({ client, ...extra } as never, verify),
        invalid(pattern),
        JSON.stringify(extra),
      );
    }
  });

  test('accepts request options as values or functions, and pushLimit false', async () => {
    const reasons = [new DenialReason('A', 'not now', false), new DenialReason('B', 'fraud', true)];
    const s = new TruValidateStrategy(
      {
        client,
        store: store(),
        policy: new AuthPolicy({ any: 1 }),
        context: (req) => `from ${req.ip ?? '?'}`,
        title: 'Log in',
        ttl: 120,
        pushTitle: async () => 'Login',
        pushBody: 'Approve?',
        denialReasons: reasons,
        pushLimit: false,
        pendingRedirect: '/wait',
        passReqToCallback: true,
      },
      async (_req, username) => ({ username }),
    );
    await s.close();
  });

  test('helpers validate their options too', async () => {
    const s = new TruValidateStrategy({ client, store: store() }, verify);
    assert.throws(() => s.webhook({ limit: 0 }), invalid(/limit must be a positive integer/));
    assert.throws(() => s.status({ timeoutMs: -1 }), invalid(/timeoutMs must be a non-negative integer/));
    await s.close();
  });
});
