/**
 * RedisStore on a real 3-master Redis Cluster (`redis-server --cluster-enabled yes` processes on loopback ports):
 * the keys of one login stay on one slot (so its scripts and multi-key reads run), logins spread over the masters,
 * one winner across instances, and results published on any node wake subscribers connected to other nodes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCluster, type RedisClusterType } from 'redis';
import { RedisStore } from 'passport-truvalidate/redis';
import { startRedisCluster, type RedisCluster } from './helpers/redis-cluster';
import { approved, pending, storeCaseNames, storeCases } from './helpers/store-cases';

describe('RedisStore on a 3-master Redis Cluster', () => {
  let redis: RedisCluster;
  const clients: RedisClusterType[] = [];
  const stores: RedisStore[] = [];
  let seq = 0;

  /** A store on its own cluster client, as one app instance has. */
  const makeStore = (prefix = `c${++seq}:`): RedisStore => {
    const client = createCluster({ rootNodes: redis.rootNodes });
    client.on('error', () => undefined);
    clients.push(client);
    const store = new RedisStore({ client, prefix });
    stores.push(store);
    return store;
  };

  /** The master URL holding `key`, asked of the cluster itself. */
  const ownerOf = async (key: string): Promise<string> => {
    const client = clients[0] as RedisClusterType;
    const slot = Number(await client.sendCommand(key, true, ['CLUSTER', 'KEYSLOT', key]));
    return redis.urlOfSlot(slot);
  };

  before(async () => {
    redis = await startRedisCluster();
  });

  after(async () => {
    for (const store of stores) await store.close();
    for (const client of clients) if (client.isOpen) await client.close();
    await redis?.stop();
  });

  test('the keys of one login share a slot; logins spread over the three masters', async () => {
    const store = makeStore();
    const ids = Array.from({ length: 12 }, (_, i) => `login-${i}`);
    for (const id of ids) {
      await store.putPending(pending(id), 30_000);
      assert.equal(await store.claimPoll(id, 1000, Date.now()), true, 'the two-key script runs on one slot');
      assert.equal(typeof (await store.getPending(id))?.lastPolledAt, 'number', 'MGET of both keys runs');
      assert.equal((await store.consumePending(id))?.authRequestId, id);
      await store.putResult(id, approved, 30_000);
    }
    const owners = new Set<string>();
    for (const id of ids) {
      const kinds = ['pending', 'poll', 'result'].map((kind) => `${store.prefix}${kind}:{${id}}`);
      const slots = await Promise.all(kinds.map(ownerOf));
      assert.equal(new Set(slots).size, 1, `keys of ${id} on one master`);
      owners.add(slots[0] as string);
    }
    assert.equal(owners.size, 3, 'the logins are spread over the three masters');
  });

  test(storeCaseNames.pendingAcrossInstances, () => storeCases.pendingAcrossInstances(makeStore, `c${++seq}:`));
  test(storeCaseNames.consumeRace, () => storeCases.consumeRace(makeStore, `c${++seq}:`));
  test(storeCaseNames.sharedMarkers, () => storeCases.sharedMarkers(makeStore, `c${++seq}:`));

  test('results published for logins on every master reach subscribers on other nodes', async () => {
    const prefix = `c${++seq}:`;
    const publisher = makeStore(prefix);
    const subscribers = [makeStore(prefix), makeStore(prefix)];
    const received = subscribers.map(() => new Set<string>());
    for (const [i, store] of subscribers.entries()) await store.subscribe((id) => received[i]?.add(id));
    const ids = Array.from({ length: 9 }, (_, i) => `pub-${i}`);
    const owners = new Set(await Promise.all(ids.map((id) => ownerOf(`${prefix}result:{${id}}`))));
    assert.equal(owners.size, 3, 'the results are stored (and published) on all three masters');
    for (const id of ids) await publisher.putResult(id, approved, 30_000);
    for (let i = 0; i < 100 && received.some((set) => set.size < ids.length); i++)
      await new Promise((r) => setTimeout(r, 20));
    for (const set of received) assert.deepEqual([...set].sort(), [...ids].sort());
  });

  test('a prefix holding a hash tag puts every key on one slot', async () => {
    const store = makeStore('{app}:');
    await store.putPending(pending('x1'), 30_000);
    await store.putResult('x2', approved, 30_000);
    assert.equal(await store.markSeen('j', 30_000), true);
    const owners = new Set(
      await Promise.all(['pending:{x1}', 'result:{x2}', 'seen:{j}'].map((k) => ownerOf(`{app}:${k}`))),
    );
    assert.equal(owners.size, 1);
    assert.equal((await store.getPending('x1'))?.authRequestId, 'x1');
  });
});
