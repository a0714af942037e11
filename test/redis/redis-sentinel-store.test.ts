/**
 * RedisStore over a Sentinel client (`createSentinel({ name: 'mymaster', sentinelRootNodes })` from `redis`): one
 * master (with a password: `nodeClientOptions: { password }`) and two `redis-server --sentinel` processes on
 * loopback ports (./helpers/redis-sentinel.ts). Each store plays one app instance, on its own Sentinel client: what
 * the strategy needs of the store, the writes landing on the master the sentinels name, a typed failure without
 * the password and while the master is down; then, on a deployment with a replica, the stores following a
 * `SENTINEL FAILOVER` to the promoted replica.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, createSentinel, type RedisSentinelType } from 'redis';
import { RedisStore, StoreUnavailableError, type RedisStoreClient } from 'passport-truvalidate/redis';
import { startRedisSentinel, type RedisSentinel } from './helpers/redis-sentinel';
import { approved, pending, storeCaseNames, storeCases } from './helpers/store-cases';

/** Retries `fn` until it resolves (at most 100 tries, 50 ms apart), for waiting on reconnection. */
async function eventually<T>(fn: () => Promise<T>): Promise<T> {
  let last: unknown;
  for (let i = 0; i < 100; i++) {
    try {
      return await fn();
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw last;
}

describe('RedisStore on a Sentinel client (one master with a password, two sentinels)', () => {
  let redis: RedisSentinel;
  const clients: RedisStoreClient[] = [];
  const stores: RedisStore[] = [];
  let seq = 0;

  /** A store on its own Sentinel client, as one app instance has (the app owns and closes the client). */
  const makeStore = (
    prefix: string,
    options: { commandTimeoutMs?: number; password?: string; passthroughClientErrorEvents?: boolean } = {},
  ): RedisStore => {
    const client = createSentinel({
      name: redis.name,
      sentinelRootNodes: redis.sentinelRootNodes,
      nodeClientOptions: { password: options.password ?? redis.password },
      passthroughClientErrorEvents: options.passthroughClientErrorEvents ?? false,
    });
    client.on('error', () => undefined);
    clients.push(client);
    const store = new RedisStore({ client, prefix, commandTimeoutMs: options.commandTimeoutMs ?? 2000 });
    stores.push(store);
    return store;
  };

  before(async () => {
    redis = await startRedisSentinel({ sentinels: 2, password: 'sentinel-test-s3cret' });
  });

  after(async () => {
    for (const store of stores) await store.close();
    for (const client of clients) if (client.isOpen) client.destroy();
    await redis?.stop();
  });

  test(storeCaseNames.pendingAcrossInstances, () => storeCases.pendingAcrossInstances(makeStore, `s${++seq}:`));
  test(storeCaseNames.consumeRace, () => storeCases.consumeRace(makeStore, `s${++seq}:`));
  test(storeCaseNames.resultWakesOtherInstance, () => storeCases.resultWakesOtherInstance(makeStore, `s${++seq}:`));
  test(storeCaseNames.sharedMarkers, () => storeCases.sharedMarkers(makeStore, `s${++seq}:`));

  test('the store writes to the master the sentinels name (read back on that port without Sentinel)', async () => {
    const store = makeStore(`s${++seq}:`);
    await store.putPending(pending('where'), 30_000);
    const direct = createClient({ url: redis.master.url, password: redis.password });
    direct.on('error', () => undefined);
    await direct.connect();
    try {
      const value = await direct.get(`${store.prefix}pending:{where}`);
      assert.equal(JSON.parse(String(value)).authRequestId, 'where');
    } finally {
      direct.destroy();
    }
  });

  test('a wrong data-node password: ERR_TRUVALIDATE_STORE_UNAVAILABLE after connectTimeoutMs', async () => {
    const store = makeStore(`s${++seq}:`, { password: 'wrong-password' });
    await assert.rejects(store.getPending('p1'), (err: unknown) => {
      assert.ok(err instanceof StoreUnavailableError);
      assert.equal(err.code, 'ERR_TRUVALIDATE_STORE_UNAVAILABLE');
      // The Sentinel client reports a node's errors as `client-error` events, which the store does not read.
      assert.equal(err.message, 'Could not connect to Redis within 1000 ms.');
      return true;
    });
  });

  test('a wrong data-node password, passthroughClientErrorEvents: the typed error names WRONGPASS', async () => {
    const store = makeStore(`s${++seq}:`, { password: 'wrong-password', passthroughClientErrorEvents: true });
    await assert.rejects(store.getPending('p1'), (err: unknown) => {
      assert.ok(err instanceof StoreUnavailableError);
      assert.equal(err.code, 'ERR_TRUVALIDATE_STORE_UNAVAILABLE');
      assert.equal(
        err.message,
        `Could not connect to Redis: Master Client (127.0.0.1:${redis.master.port}): ` +
          'WRONGPASS invalid username-password pair or user is disabled.',
      );
      return true;
    });
  });

  test('master down: a call rejects with ERR_TRUVALIDATE_STORE_UNAVAILABLE; calls work again once it is back', async () => {
    const store = makeStore(`s${++seq}:`, { commandTimeoutMs: 500 });
    assert.equal(await store.increment('before', 30_000), 1);
    await redis.master.stop();
    try {
      const started = Date.now();
      await assert.rejects(
        store.increment('during', 30_000),
        (err: unknown) =>
          err instanceof StoreUnavailableError &&
          err.code === 'ERR_TRUVALIDATE_STORE_UNAVAILABLE' &&
          err.status === 503 &&
          // the client may or may not have seen the connection drop before the call
          /^Redis (did not answer EVALSHA within 500 ms\.|is unreachable \(reconnecting\))/.test(err.message),
      );
      assert.ok(Date.now() - started < 1500, `rejected after ${Date.now() - started} ms`);
    } finally {
      await redis.master.start();
    }
    // The master came back empty (no persistence): a fresh counter starts at 1.
    assert.equal(await eventually(() => store.increment('after', 30_000)), 1);
  });
});

describe('RedisStore on a Sentinel client through a failover (master, replica, one sentinel)', () => {
  let redis: RedisSentinel;
  const clients: RedisStoreClient[] = [];
  const stores: RedisStore[] = [];

  const makeStore = (prefix: string): RedisStore => {
    const client = createSentinel({ name: redis.name, sentinelRootNodes: redis.sentinelRootNodes });
    client.on('error', () => undefined);
    clients.push(client);
    const store = new RedisStore({ client, prefix });
    stores.push(store);
    return store;
  };

  before(async () => {
    redis = await startRedisSentinel({ sentinels: 1, replica: true });
  });

  after(async () => {
    for (const store of stores) await store.close();
    for (const client of clients) if (client.isOpen) client.destroy();
    await redis?.stop();
  });

  test('after SENTINEL FAILOVER, the stores write to the promoted replica and results still wake subscribers', async () => {
    const a = makeStore('f:');
    const b = makeStore('f:');
    const received: string[] = [];
    await b.subscribe((id) => received.push(id));
    await a.putPending(pending('before'), 30_000);
    // Replication is asynchronous: wait until the replica has acknowledged the write before promoting it.
    const old = createClient({ url: redis.master.url });
    old.on('error', () => undefined);
    await old.connect();
    try {
      assert.equal(await old.sendCommand(['WAIT', '1', '2000']), 1);
    } finally {
      old.destroy();
    }
    await redis.failover();
    // Each client moves to the new master when its sentinel says so (+switch-master); a write sent to the old
    // master before that is lost when the old master becomes a replica (Redis replication is asynchronous).
    const promoted = redis.replica!.port;
    await eventually(async () => {
      for (const client of clients) {
        if (client.isOpen) assert.equal((client as RedisSentinelType).getMasterNode()?.port, promoted);
      }
    });
    // Written before the failover, replicated, and taken on the new master.
    assert.equal((await eventually(() => a.consumePending('before')))?.authRequestId, 'before');
    await a.putPending(pending('after'), 30_000);
    const direct = createClient({ url: redis.replica!.url });
    direct.on('error', () => undefined);
    await direct.connect();
    try {
      const role = (await direct.sendCommand(['ROLE'])) as unknown[];
      assert.equal(String(role[0]), 'master');
      assert.equal(JSON.parse(String(await direct.get('f:pending:{after}'))).authRequestId, 'after');
    } finally {
      direct.destroy();
    }
    await eventually(async () => {
      await a.putResult('r-after', approved, 30_000);
      for (let i = 0; i < 10 && !received.includes('r-after'); i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(received.includes('r-after'), 'the subscriber on the new master got the result');
    });
    assert.deepEqual([...new Set(received)], ['r-after']);
  });
});
