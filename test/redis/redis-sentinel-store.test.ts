/**
 * RedisStore over a Sentinel client (`createSentinel({ name: 'mymaster', sentinelRootNodes })` from `redis`): one
 * master and two `redis-server --sentinel` processes on loopback ports (./helpers/redis-sentinel.ts). Each store
 * plays one app instance, on its own Sentinel client: what the strategy needs of the store, the writes landing on
 * the master the sentinels name, and a typed failure while the master is down.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, createSentinel } from 'redis';
import { RedisStore, StoreUnavailableError, type RedisStoreClient } from 'passport-truvalidate/redis';
import { startRedisSentinel, type RedisSentinel } from './helpers/redis-sentinel';
import { pending, storeCaseNames, storeCases } from './helpers/store-cases';

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

describe('RedisStore on a Sentinel client (one master, two sentinels)', () => {
  let redis: RedisSentinel;
  const clients: RedisStoreClient[] = [];
  const stores: RedisStore[] = [];
  let seq = 0;

  /** A store on its own Sentinel client, as one app instance has (the app owns and closes the client). */
  const makeStore = (prefix: string, commandTimeoutMs = 2000): RedisStore => {
    const client = createSentinel({ name: redis.name, sentinelRootNodes: redis.sentinelRootNodes });
    client.on('error', () => undefined);
    clients.push(client);
    const store = new RedisStore({ client, prefix, commandTimeoutMs });
    stores.push(store);
    return store;
  };

  before(async () => {
    redis = await startRedisSentinel({ sentinels: 2 });
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
    const direct = createClient({ url: redis.master.url });
    direct.on('error', () => undefined);
    await direct.connect();
    try {
      const value = await direct.get(`${store.prefix}pending:{where}`);
      assert.equal(JSON.parse(String(value)).authRequestId, 'where');
    } finally {
      direct.destroy();
    }
  });

  test('master down: a call rejects with ERR_TRUVALIDATE_STORE_UNAVAILABLE; calls work again once it is back', async () => {
    const store = makeStore(`s${++seq}:`, 500);
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
