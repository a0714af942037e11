import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from 'redis';
import { RedisStore, StoreDataError, StoreUnavailableError, type RedisClient } from 'passport-truvalidate/redis';
import type { LoginResult, PendingLogin } from 'passport-truvalidate';
import { freePort, startRedisServer, type RedisServer } from './helpers/redis-server';

function pending(id: string, extra: Partial<PendingLogin> = {}): PendingLogin {
  const now = Date.now();
  return {
    authRequestId: id,
    username: 'alice',
    bindingHash: 'ab'.repeat(32),
    expiresAt: now + 60_000,
    createdAt: now,
    ...extra,
  };
}

const approved: LoginResult = { status: 'authorized', serviceUserHash: 'hash-1', deviceId: 'dev-1', authMethods: [] };

/** Retries `fn` until it resolves (bounded), for waiting on reconnection. */
async function eventually<T>(fn: () => Promise<T>, attempts = 100, delayMs = 50): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await fn();
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
  throw last;
}

describe('RedisStore on a real redis-server', () => {
  let server: RedisServer;
  let raw: RedisClient;
  const stores: RedisStore[] = [];
  let seq = 0;
  const makeStore = (options: ConstructorParameters<typeof RedisStore>[0] = {}): RedisStore => {
    const store = new RedisStore({ url: server.url, prefix: `t${++seq}:`, ...options });
    stores.push(store);
    return store;
  };

  before(async () => {
    server = await startRedisServer();
    raw = createClient({ url: server.url });
    raw.on('error', () => undefined);
    await raw.connect();
  });

  after(async () => {
    for (const store of stores) await store.close();
    if (raw.isOpen) raw.destroy();
    await server.stop();
  });

  test('pending logins round-trip and every key written has a TTL', async () => {
    const store = makeStore();
    await store.putPending(pending('a1', { decoy: true }), 30_000);
    const read = await store.getPending('a1');
    assert.equal(read?.authRequestId, 'a1');
    assert.equal(read?.decoy, true);
    assert.equal(read?.lastPolledAt, undefined);
    assert.equal(await store.getPending('unknown'), null);

    assert.equal(await store.claimPoll('a1', 1000, 5_000), true);
    await store.putResult('a1', approved, 30_000);
    assert.equal(await store.markSeen('jti-1', 30_000), true);
    await store.markLoggedOut('hash-1', Date.now(), 30_000);
    assert.equal(await store.increment('push:alice', 30_000), 1);

    const keys = await raw.keys(`${store.prefix}*`);
    assert.deepEqual(keys.map((k) => k.slice(store.prefix.length).split(':')[0]).sort(), [
      'count',
      'logout',
      'pending',
      'poll',
      'result',
      'seen',
    ]);
    for (const key of keys) {
      const pttl = await raw.pTTL(key);
      assert.ok(pttl > 0 && pttl <= 30_000, `${key} has TTL ${pttl}`);
    }
  });

  test('consumePending: 50 concurrent callers on two instances, exactly one gets the login', async () => {
    const a = makeStore();
    const b = new RedisStore({ url: server.url, prefix: a.prefix });
    stores.push(b);
    await a.putPending(pending('race'), 30_000);
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).consumePending('race')),
    );
    const winners = outcomes.filter((x) => x !== null);
    assert.equal(winners.length, 1);
    assert.equal(winners[0]?.authRequestId, 'race');
    assert.equal(await a.getPending('race'), null);
    assert.equal(await b.consumePending('race'), null);
    assert.deepEqual(await raw.keys(`${a.prefix}*`), []);
  });

  test('claimPoll: one winner per interval, records lastPolledAt, false once consumed', async () => {
    const a = makeStore();
    const b = new RedisStore({ url: server.url, prefix: a.prefix });
    stores.push(b);
    await a.putPending(pending('p1'), 30_000);
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).claimPoll('p1', 1000, 10_000)),
    );
    assert.equal(claims.filter(Boolean).length, 1);
    assert.equal((await b.getPending('p1'))?.lastPolledAt, 10_000);
    assert.equal(await a.claimPoll('p1', 1000, 10_999), false);
    assert.equal(await a.claimPoll('p1', 1000, 11_000), true);
    assert.equal((await a.getPending('p1'))?.lastPolledAt, 11_000);
    const consumed = await b.consumePending('p1');
    assert.equal(consumed?.lastPolledAt, 11_000);
    assert.equal(await a.claimPoll('p1', 1000, 20_000), false);
    assert.equal(await a.claimPoll('never-started', 1000, 20_000), false);

    await a.putPending(pending('p2', { lastPolledAt: 50_000 }), 30_000);
    assert.equal((await a.getPending('p2'))?.lastPolledAt, 50_000);
    assert.equal(await a.claimPoll('p2', 1000, 50_500), false);
    assert.equal(await a.claimPoll('p2', 1000, 51_000), true);
  });

  test('results published on one instance reach subscribers of every instance', async () => {
    const a = makeStore();
    const b = new RedisStore({ url: server.url, prefix: a.prefix });
    stores.push(b);
    const received: Array<[string, LoginResult]> = [];
    const gotOne = new Promise<void>((resolve) => {
      void b.subscribe((id, result) => {
        received.push([id, result]);
        resolve();
      });
    });
    // subscribe() resolves once the subscription is live
    const unsubscribe = await b.subscribe(() => undefined);
    await a.putResult('r1', approved, 30_000);
    await gotOne;
    assert.deepEqual(received, [['r1', approved]]);
    assert.deepEqual(await b.getResult('r1'), approved);
    assert.equal(await b.getResult('r2'), null);
    await unsubscribe();
  });

  test('markSeen is SET NX across instances', async () => {
    const a = makeStore();
    const b = new RedisStore({ url: server.url, prefix: a.prefix });
    stores.push(b);
    assert.equal(await a.isSeen('jti-x'), false);
    assert.equal(await b.isSeen('jti-x'), false);
    const firsts = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).markSeen('jti-x', 30_000)));
    assert.equal(firsts.filter(Boolean).length, 1);
    assert.equal(await a.isSeen('jti-x'), true, 'seen on the instance that may not have written it');
    assert.equal(await b.isSeen('jti-x'), true);
    assert.equal(await a.isSeen('jti-y'), false);
    assert.equal(await b.isSeen('jti-y'), false, 'isSeen only reads: it records nothing');
    assert.equal(await a.markSeen('jti-y', 30_000), true);
    assert.equal(await b.isSeen('jti-y'), true);
    const other = makeStore();
    assert.equal(await other.isSeen('jti-x'), false, 'another prefix has its own replay cache');
    assert.equal(await a.markSeen('jti-short', 40), true);
    assert.equal(await b.isSeen('jti-short'), true);
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(await b.isSeen('jti-short'), false, 'an expired id is no longer seen');
    assert.equal(await b.markSeen('jti-short', 30_000), true);
  });

  test('remote-logout markers are shared and keep the latest time', async () => {
    const a = makeStore();
    const b = new RedisStore({ url: server.url, prefix: a.prefix });
    stores.push(b);
    assert.equal(await b.loggedOutAt('h'), null);
    await a.markLoggedOut('h', 2_000, 30_000);
    assert.equal(await b.loggedOutAt('h'), 2_000);
    await b.markLoggedOut('h', 1_000, 30_000);
    assert.equal(await a.loggedOutAt('h'), 2_000);
    await b.markLoggedOut('h', 3_000, 30_000);
    assert.equal(await a.loggedOutAt('h'), 3_000);
  });

  test('increment counts in a fixed window that starts at the first hit', async () => {
    const store = makeStore();
    assert.equal(await store.increment('k', 30_000), 1);
    assert.equal(await store.increment('k', 30_000), 2);
    assert.equal(await store.increment('k', 30_000), 3);
    assert.ok((await raw.pTTL(`${store.prefix}count:{k}`)) > 0);
    assert.equal(await store.increment('short', 40), 1);
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(await store.increment('short', 40), 1);
  });

  test('prefixes isolate apps sharing one Redis', async () => {
    const a = makeStore();
    const b = makeStore();
    await a.putPending(pending('same-id'), 30_000);
    assert.equal(await b.getPending('same-id'), null);
    assert.equal(await b.consumePending('same-id'), null);
    assert.equal(await a.markSeen('j', 30_000), true);
    assert.equal(await b.markSeen('j', 30_000), true);
    const seenByB: string[] = [];
    let resolveB: () => void = () => undefined;
    const gotB = new Promise<void>((resolve) => (resolveB = resolve));
    await b.subscribe((id) => {
      seenByB.push(id);
      resolveB();
    });
    await a.putResult('from-a', approved, 30_000);
    await b.putResult('from-b', approved, 30_000);
    await gotB;
    assert.deepEqual(seenByB, ['from-b']);
    assert.equal(await b.getResult('from-a'), null);
  });

  test('corrupt values are a typed data error', async () => {
    const store = makeStore();
    await raw.set(`${store.prefix}pending:{bad}`, 'not json', { PX: 30_000 });
    await assert.rejects(
      store.getPending('bad'),
      (err: unknown) => err instanceof StoreDataError && err.code === 'ERR_TRUVALIDATE_STORE_DATA',
    );
  });

  test('a client given by the app is used and left open on close', async () => {
    const client: RedisClient = createClient({ url: server.url });
    client.on('error', () => undefined);
    const store = new RedisStore({ client, prefix: `t${++seq}:` });
    await store.putPending(pending('c1'), 30_000); // connects the client
    assert.equal((await store.getPending('c1'))?.username, 'alice');
    await store.close();
    assert.equal(client.isReady, true);
    await assert.rejects(store.getPending('c1'), StoreUnavailableError);
    client.destroy();
  });

  test('option validation', () => {
    const invalid = (pattern: RegExp) => (err: unknown) =>
      err instanceof Error &&
      (err as { code?: string }).code === 'ERR_TRUVALIDATE_INVALID_OPTION' &&
      pattern.test(err.message);
    assert.throws(() => new RedisStore({ url: server.url, commandTimeoutMs: 0 }), invalid(/commandTimeoutMs/));
    assert.throws(() => new RedisStore({ url: server.url, connectTimeoutMs: Number.NaN }), invalid(/connectTimeoutMs/));
    assert.throws(() => new RedisStore({ url: server.url, maxReconnectDelayMs: -1 }), invalid(/maxReconnectDelayMs/));
    assert.throws(() => new RedisStore({ url: server.url, prefix: 'app{one:' }), invalid(/unclosed "\{"/));
    assert.equal(makeStore({ prefix: '{app}:' }).prefix, '{app}:');
  });
});

describe('RedisStore while Redis is down', () => {
  test('every method rejects with ERR_TRUVALIDATE_STORE_UNAVAILABLE when Redis was never reachable', async () => {
    const port = await freePort(); // nothing listens there
    const store = new RedisStore({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 200 });
    const isUnavailable = (err: unknown): boolean =>
      err instanceof StoreUnavailableError && err.code === 'ERR_TRUVALIDATE_STORE_UNAVAILABLE' && err.status === 503;
    try {
      await assert.rejects(store.putPending(pending('d'), 1000), isUnavailable);
      await assert.rejects(store.getPending('d'), isUnavailable);
      await assert.rejects(store.claimPoll('d', 1000, Date.now()), isUnavailable);
      await assert.rejects(store.consumePending('d'), isUnavailable);
      await assert.rejects(store.putResult('d', approved, 1000), isUnavailable);
      await assert.rejects(store.getResult('d'), isUnavailable);
      await assert.rejects(
        store.subscribe(() => undefined),
        isUnavailable,
      );
      await assert.rejects(store.markSeen('d', 1000), isUnavailable);
      await assert.rejects(store.isSeen('d'), isUnavailable);
      await assert.rejects(store.markLoggedOut('d', 1, 1000), isUnavailable);
      await assert.rejects(store.loggedOutAt('d'), isUnavailable);
      await assert.rejects(store.increment('d', 1000), isUnavailable);
    } finally {
      await store.close();
    }
  });

  test('a hung Redis (connection open, no answers) rejects after commandTimeoutMs, then works again', async () => {
    const server = await startRedisServer();
    const store = new RedisStore({ url: server.url, commandTimeoutMs: 200 });
    try {
      await store.putPending(pending('h1'), 30_000);
      server.pause();
      try {
        await assert.rejects(
          store.getPending('h1'),
          (err: unknown) => err instanceof StoreUnavailableError && /did not answer/.test(err.message),
        );
      } finally {
        server.resume();
      }
      assert.equal((await eventually(() => store.getPending('h1')))?.authRequestId, 'h1');
    } finally {
      await store.close();
      await server.stop();
    }
  });

  test('a lost connection fails at once, and the store recovers (pub/sub included) after Redis restarts', async () => {
    const server = await startRedisServer();
    const a = new RedisStore({ url: server.url, maxReconnectDelayMs: 100 });
    const b = new RedisStore({ url: server.url, maxReconnectDelayMs: 100 });
    try {
      await a.putPending(pending('before'), 30_000);
      const received: string[] = [];
      let wake: () => void = () => undefined;
      await b.subscribe((id) => {
        received.push(id);
        wake();
      });

      await server.stop();
      await assert.rejects(a.getPending('before'), StoreUnavailableError);
      await assert.rejects(a.putResult('x', approved, 1000), StoreUnavailableError);
      await assert.rejects(a.markSeen('x', 1000), StoreUnavailableError);

      await server.start();
      // Redis restarted empty: the pending login is gone, never granted.
      assert.equal(await eventually(() => a.getPending('before')), null);
      await a.putPending(pending('after'), 30_000);
      assert.equal((await a.consumePending('after'))?.authRequestId, 'after');
      // The subscriber reconnects and re-subscribes by itself.
      await eventually(async () => {
        const woke = new Promise<void>((resolve) => (wake = resolve));
        await a.putResult('after', approved, 30_000);
        await Promise.race([
          woke,
          new Promise((_, reject) => setTimeout(() => reject(new Error('no message yet')), 200)),
        ]);
      });
      assert.ok(received.includes('after'));
    } finally {
      await a.close();
      await b.close();
      await server.stop();
    }
  });
});

describe('RedisStore with authentication (an ACL user, as managed Redis services have)', () => {
  test('a URL with user and password works, pub/sub included; a wrong password is a prompt typed error', async () => {
    const server = await startRedisServer([
      '--user',
      'default',
      'off',
      '--user',
      'app',
      'on',
      '>s3cret',
      '~*',
      '&*',
      '+@all',
    ]);
    const store = new RedisStore({ url: `redis://app:s3cret@127.0.0.1:${server.port}`, prefix: 'auth:' });
    const wrong = new RedisStore({
      url: `redis://app:nope@127.0.0.1:${server.port}`,
      prefix: 'auth:',
      connectTimeoutMs: 2000,
    });
    try {
      const received: string[] = [];
      await store.subscribe((id) => received.push(id));
      await store.putPending(pending('p1'), 30_000);
      assert.equal((await store.getPending('p1'))?.authRequestId, 'p1');
      await store.putResult('p1', approved, 30_000);
      for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(received, ['p1']);
      const started = Date.now();
      await assert.rejects(
        wrong.getPending('p1'),
        (err: unknown) =>
          err instanceof StoreUnavailableError && /WRONGPASS|invalid username-password/i.test(err.message),
      );
      assert.ok(Date.now() - started < 2000, 'rejected before the connect timeout');
    } finally {
      await wrong.close();
      await store.close();
      await server.stop();
    }
  });
});

describe('RedisStore over TLS (rediss://)', () => {
  test('a TLS client given as `client` works, pub/sub included (self-signed test certificate, CA pinned)', async () => {
    const dir = join(__dirname, 'fixtures', 'tls');
    const cert = join(dir, 'test-only-cert.pem');
    const key = join(dir, 'test-only-key.pem');
    const server = await startRedisServer([
      '--port',
      '0',
      '--tls-port',
      '__PORT__',
      '--tls-cert-file',
      cert,
      '--tls-key-file',
      key,
      '--tls-auth-clients',
      'no',
    ]);
    const client: RedisClient = createClient({
      url: `rediss://127.0.0.1:${server.port}`,
      socket: { tls: true, ca: readFileSync(cert) },
    });
    client.on('error', () => undefined);
    const store = new RedisStore({ client, prefix: 'tls:' });
    try {
      const received: string[] = [];
      await store.subscribe((id) => received.push(id));
      await store.putPending(pending('t1'), 30_000);
      assert.equal((await store.consumePending('t1'))?.authRequestId, 't1');
      await store.putResult('t1', approved, 30_000);
      for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(received, ['t1']);
      const plain = new RedisStore({ url: `redis://127.0.0.1:${server.port}`, connectTimeoutMs: 500 });
      await assert.rejects(
        plain.getPending('t1'),
        StoreUnavailableError,
        'a plain-text client cannot talk to the TLS port',
      );
      await plain.close();
    } finally {
      await store.close();
      client.destroy();
      await server.stop();
    }
  });
});
