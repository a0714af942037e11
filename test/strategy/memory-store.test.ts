import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore, TruValidateStrategyError, type LoginResult, type PendingLogin } from 'passport-truvalidate';

function pending(id: string, extra: Partial<PendingLogin> = {}): PendingLogin {
  return {
    authRequestId: id,
    username: 'alice',
    bindingHash: 'ab'.repeat(32),
    expiresAt: 2_000_000,
    createdAt: 1_000_000,
    ...extra,
  };
}

/** A store on a hand-driven clock (ms). */
function storeAt(
  start = 1_000_000,
  options: { maxEntries?: number } = {},
): { store: MemoryStore; clock: { now: number } } {
  const clock = { now: start };
  return { store: new MemoryStore({ ...options, now: () => clock.now }), clock };
}

describe('MemoryStore', () => {
  test('pending logins: put, get, expire with their TTL', async () => {
    const { store, clock } = storeAt();
    await store.putPending(pending('a', { decoy: true }), 1000);
    assert.deepEqual(await store.getPending('a'), pending('a', { decoy: true }));
    assert.equal(await store.getPending('b'), null);
    clock.now += 1000;
    assert.equal(await store.getPending('a'), null);
    await store.close();
  });

  test('consumePending gives the record to exactly one of many concurrent callers', async () => {
    const { store } = storeAt();
    await store.putPending(pending('a'), 60_000);
    const results = await Promise.all(Array.from({ length: 10 }, () => store.consumePending('a')));
    assert.equal(results.filter((r) => r !== null).length, 1);
    assert.equal(await store.getPending('a'), null);
    assert.equal(await store.consumePending('a'), null);
    await store.close();
  });

  test('claimPoll grants one poll per interval', async () => {
    const { store } = storeAt();
    await store.putPending(pending('a'), 60_000);
    assert.equal(await store.claimPoll('a', 1000, 5000), true);
    assert.equal(await store.claimPoll('a', 1000, 5500), false);
    assert.equal(await store.claimPoll('a', 1000, 6000), true);
    assert.equal((await store.getPending('a'))?.lastPolledAt, 6000);
    assert.equal(await store.claimPoll('unknown', 1000, 6000), false);
    await store.close();
  });

  test('putResult stores and notifies subscribers until they unsubscribe', async () => {
    const { store, clock } = storeAt();
    const seen: [string, LoginResult][] = [];
    const unsubscribe = await store.subscribe((id, r) => seen.push([id, r]));
    const result: LoginResult = { status: 'authorized', reason: 'APPROVED', serviceUserHash: 'h' };
    await store.putResult('a', result, 1000);
    assert.deepEqual(seen, [['a', result]]);
    assert.deepEqual(await store.getResult('a'), result);
    await unsubscribe();
    await store.putResult('b', result, 1000);
    assert.equal(seen.length, 1);
    clock.now += 1000;
    assert.equal(await store.getResult('a'), null);
    await store.close();
  });

  test('a throwing listener does not stop the others', async () => {
    const { store } = storeAt();
    let called = false;
    await store.subscribe(() => {
      throw new Error('boom');
    });
    await store.subscribe(() => {
      called = true;
    });
    const warnings: string[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w.message);
    };
    process.on('warning', onWarning);
    await store.putResult('a', { status: 'denied' }, 1000);
    await new Promise((r) => setImmediate(r));
    process.off('warning', onWarning);
    assert.equal(called, true);
    assert.ok(warnings.some((w) => w.includes('boom')));
    await store.close();
  });

  test('markSeen is set-if-new, isSeen reads it, both forget after its TTL', async () => {
    const { store, clock } = storeAt();
    assert.equal(await store.isSeen('jti-1'), false);
    assert.equal(await store.markSeen('jti-1', 1000), true);
    assert.equal(await store.isSeen('jti-1'), true);
    assert.equal(await store.markSeen('jti-1', 1000), false);
    clock.now += 1000;
    assert.equal(await store.isSeen('jti-1'), false);
    assert.equal(await store.markSeen('jti-1', 1000), true);
    await store.close();
  });

  test('logout markers keep the latest time', async () => {
    const { store } = storeAt();
    assert.equal(await store.loggedOutAt('hash'), null);
    await store.markLoggedOut('hash', 500, 10_000);
    await store.markLoggedOut('hash', 300, 10_000);
    assert.equal(await store.loggedOutAt('hash'), 500);
    await store.close();
  });

  test('increment counts in a fixed window from the first increment', async () => {
    const { store, clock } = storeAt();
    assert.equal(await store.increment('k', 1000), 1);
    clock.now += 600;
    assert.equal(await store.increment('k', 1000), 2);
    clock.now += 400;
    assert.equal(await store.increment('k', 1000), 1);
    await store.close();
  });

  test(
    'is bounded: expired entries make room; full of live entries, writes of ' + 'new keys reject (fail closed)',
    async () => {
      const { store, clock } = storeAt(1_000_000, { maxEntries: 3 });
      await store.putPending(pending('short'), 10);
      await store.putPending(pending('a'), 60_000);
      await store.putPending(pending('b'), 60_000);
      clock.now += 10;
      await store.putPending(pending('c'), 60_000);
      assert.notEqual(await store.getPending('a'), null, 'the expired entry made room, not the oldest live one');
      const full = (e: unknown): boolean =>
        e instanceof TruValidateStrategyError && e.code === 'ERR_TRUVALIDATE_STORE_UNAVAILABLE';
      await assert.rejects(store.putPending(pending('d'), 60_000), full);
      assert.deepEqual(
        (await Promise.all(['a', 'b', 'c'].map((id) => store.getPending(id)))).map((p) => p?.authRequestId),
        ['a', 'b', 'c'],
        'no live entry was dropped',
      );
      assert.equal(await store.getPending('d'), null);
      await store.putPending(pending('b'), 60_000); // an existing key is rewritten in place
      for (const k of ['x', 'y', 'z']) await store.increment(k, 60_000);
      await assert.rejects(store.increment('new', 60_000), full);
      assert.equal(await store.increment('x', 60_000), 2, 'a full counter space never resets a limit');
      for (const j of ['j1', 'j2', 'j3']) await store.markSeen(j, 60_000);
      await assert.rejects(store.markSeen('j4', 60_000), full);
      assert.equal(await store.isSeen('j1'), true);
      clock.now += 60_000;
      await store.putPending(pending('d'), 60_000);
      assert.equal(await store.increment('new', 60_000), 1, 'room again once entries expired');
      assert.equal(store.sizes.pending, 1);
      await store.close();
    },
  );

  test('sweep removes expired entries of every kind', async () => {
    const { store, clock } = storeAt();
    await store.putPending(pending('a'), 10);
    await store.putResult('a', { status: 'expired' }, 10);
    await store.markSeen('j', 10);
    await store.markLoggedOut('h', 1, 10);
    await store.increment('k', 10);
    clock.now += 10;
    store.sweep();
    assert.deepEqual(store.sizes, { pending: 0, results: 0, seen: 0, logouts: 0, counters: 0 });
    await store.close();
  });

  test('returns copies: callers cannot change stored records', async () => {
    const { store } = storeAt();
    await store.putPending(pending('a'), 1000);
    const got = await store.getPending('a');
    assert.ok(got);
    got.username = 'mallory';
    assert.equal((await store.getPending('a'))?.username, 'alice');
    await store.close();
  });

  test('rejects invalid options and TTLs with typed errors', async () => {
    assert.throws(
      () => new MemoryStore({ maxEntries: 0 }),
      (e: unknown) => e instanceof TruValidateStrategyError && e.code === 'ERR_TRUVALIDATE_INVALID_OPTION',
    );
    assert.throws(() => new MemoryStore({ sweepIntervalMs: -1 }), TruValidateStrategyError);
    const store = new MemoryStore();
    await assert.rejects(store.putPending(pending('a'), 0), RangeError);
    await store.close();
  });
});
