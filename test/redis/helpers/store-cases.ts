/**
 * RedisStore cases that hold on any kind of Redis deployment (one node, TLS + password, Sentinel, Cluster): each
 * takes a factory of stores, where two stores made with the same prefix play two app instances (each on its own
 * connection). The test files name the deployment; these say what the strategy needs of the store.
 */
import assert from 'node:assert/strict';
import type { RedisStore } from 'passport-truvalidate/redis';
import type { LoginResult, PendingLogin } from 'passport-truvalidate';

/** A new store (its own connection) with `prefix`; the test file closes it. */
export type StoreFactory = (prefix: string) => RedisStore | Promise<RedisStore>;

/** A pending login for `id`, expiring in a minute. */
export function pending(id: string): PendingLogin {
  const now = Date.now();
  return {
    authRequestId: id,
    username: 'alice',
    bindingHash: 'ab'.repeat(32),
    expiresAt: now + 60_000,
    createdAt: now,
  };
}

/** An approved login result. */
export const approved: LoginResult = {
  status: 'authorized',
  serviceUserHash: 'hash-1',
  deviceId: 'dev-1',
  authMethods: [],
};

/** Names of the cases, for `test(storeCaseNames.x, ...)`. */
export const storeCaseNames = {
  pendingAcrossInstances:
    'a pending login saved on one instance is read, poll-claimed and taken on another, then is gone',
  consumeRace: 'consumePending: 30 concurrent callers on two instances, exactly one gets the login',
  resultWakesOtherInstance: 'a result put on one instance is stored and wakes the subscriber of another instance',
  sharedMarkers: 'replay cache, logout markers (latest time wins) and counters are shared between instances',
} as const;

/** The cases; `prefix` must be unique per case (the stores of one case share it). */
export const storeCases = {
  async pendingAcrossInstances(make: StoreFactory, prefix: string): Promise<void> {
    const a = await make(prefix);
    const b = await make(prefix);
    const login = pending('p1');
    await a.putPending(login, 30_000);
    assert.deepEqual(await b.getPending('p1'), login);
    const now = Date.now();
    assert.equal(await b.claimPoll('p1', 1000, now), true);
    assert.equal(await a.claimPoll('p1', 1000, now + 10), false, 'a second claim within the interval loses');
    assert.deepEqual(await a.consumePending('p1'), { ...login, lastPolledAt: now });
    assert.equal(await b.consumePending('p1'), null);
    assert.equal(await b.getPending('p1'), null);
  },

  async consumeRace(make: StoreFactory, prefix: string): Promise<void> {
    const a = await make(prefix);
    const b = await make(prefix);
    await a.putPending(pending('race'), 30_000);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).consumePending('race')));
    assert.equal(results.filter((r) => r !== null).length, 1);
  },

  async resultWakesOtherInstance(make: StoreFactory, prefix: string): Promise<void> {
    const publisher = await make(prefix);
    const subscriber = await make(prefix);
    const received: Array<[string, LoginResult]> = [];
    await subscriber.subscribe((id, result) => received.push([id, result]));
    await publisher.putResult('r1', approved, 30_000);
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(received, [['r1', approved]]);
    assert.deepEqual(await subscriber.getResult('r1'), approved);
  },

  async sharedMarkers(make: StoreFactory, prefix: string): Promise<void> {
    const a = await make(prefix);
    const b = await make(prefix);
    assert.equal(await a.markSeen('jti-1', 30_000), true);
    assert.equal(await b.markSeen('jti-1', 30_000), false);
    assert.equal(await b.isSeen('jti-1'), true);
    assert.equal(await b.loggedOutAt('hash-1'), null);
    await a.markLoggedOut('hash-1', 2000, 30_000);
    await b.markLoggedOut('hash-1', 1000, 30_000);
    assert.equal(await b.loggedOutAt('hash-1'), 2000);
    assert.equal(await a.increment('push:alice', 30_000), 1);
    assert.equal(await b.increment('push:alice', 30_000), 2);
  },
};
