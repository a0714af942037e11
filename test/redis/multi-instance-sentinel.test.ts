/**
 * The multi-instance login scenarios (./helpers/multi-instance-cases.ts) with every app instance on a Sentinel
 * client: three app instances (separate processes, each with one `createSentinel()` client for its RedisStore and
 * its connect-redis session store) behind a round-robin proxy, one master behind two `redis-server --sentinel`
 * processes (./helpers/redis-sentinel.ts), the emulator delivering real webhooks through the proxy.
 */
import { after, before, describe, test } from 'node:test';
import { startCluster, type Cluster } from './helpers/cluster';
import { caseNames, sharedCases } from './helpers/multi-instance-cases';

describe('several app instances on Redis behind Sentinel (one master, two sentinels)', () => {
  let cluster: Cluster;

  before(async () => {
    cluster = await startCluster({ redis: 'sentinel' });
  });

  after(async () => {
    await cluster?.close();
  });

  test(caseNames.acrossInstances, () => sharedCases.acrossInstances(cluster));
  test(caseNames.duplicateWebhook, () => sharedCases.duplicateWebhook(cluster));
  test(caseNames.phoneLogout, () => sharedCases.phoneLogout(cluster));
  test(caseNames.twoTabs, () => sharedCases.twoTabs(cluster));
  test(caseNames.instanceKilled, () => sharedCases.instanceKilled(cluster));
  test('40 concurrent logins across the three instances, approved in random order: each in its own session', () =>
    sharedCases.concurrentLogins(cluster, 40));
});
