/**
 * A small deployment for the multi-instance tests and the benchmark: one redis-server (or a 3-master Redis
 * Cluster, or a master behind two sentinels), one emulator (the API and the phone), N app instances as separate processes, and a round-robin proxy
 * in front of them that is also the service callback URL. Browsers are supertest agents against the proxy (a
 * cookie jar each).
 */
import request from 'supertest';
import type { IncomingMessage } from 'node:http';
import { createCluster, createSentinel } from 'redis';
import type { Emulator } from 'passport-truvalidate/emulator';
import { startTestEmulator } from '../../fixtures/emulator';
import { RedisStore } from 'passport-truvalidate/redis';
import { Phone } from '../../strategy/helpers/emulator';
import { AppInstance, type InstanceEnv } from './instances';
import { startRedisCluster, type RedisCluster } from './redis-cluster';
import { startRedisSentinel, type RedisSentinel } from './redis-sentinel';
import { startRedisServer, type RedisServer } from './redis-server';
import { RoundRobinProxy } from './round-robin-proxy';

/** Options of {@link startCluster}. */
export interface ClusterOptions {
  /** Instance names (default A, B, C). */
  names?: string[];
  /**
   * false: no Redis, memory stores (then use one instance); 'cluster': a 3-master Redis Cluster; 'sentinel': one
   * master and two sentinels, every instance on a `createSentinel()` client. Default true (one redis-server).
   */
  redis?: boolean | 'cluster' | 'sentinel';
  /** Extra strategy options given to every instance (JSON). */
  strategyOptions?: Record<string, unknown>;
}

/** A running deployment. */
export interface Cluster {
  /** The redis-server (null with memory stores or a Redis Cluster). */
  redis: RedisServer | null;
  /** The Redis Cluster (with `redis: 'cluster'`), else null. */
  redisCluster: RedisCluster | null;
  /** The Sentinel deployment (with `redis: 'sentinel'`), else null. */
  redisSentinel: RedisSentinel | null;
  emulator: Emulator;
  phone: Phone;
  proxy: RoundRobinProxy;
  instances: Map<string, AppInstance>;
  env: InstanceEnv;
  /**
   * Where webhooks go: an instance name, several names (each gets a copy), or null (round robin). Requests with
   * an `x-instance: NAME[,NAME]` header go to those instances; everything else is round robin.
   */
  webhookTargets: string | string[] | null;
  /** A new browser (cookie jar) talking to the proxy. */
  browser(): ReturnType<typeof request.agent>;
  /** Kills an instance (SIGKILL). */
  kill(name: string): Promise<void>;
  /** Starts a fresh process for `name` and points the proxy at it. */
  restart(name: string): Promise<void>;
  /** Stats of every live instance. */
  stats(): Promise<InstanceStats[]>;
  /** A RedisStore of this deployment's Redis and prefix (its own connection; `close()` closes it). */
  openStore(): Promise<RedisStore>;
  close(): Promise<void>;
}

/** What an instance reports at `GET /__instance`. */
export interface InstanceStats {
  name: string;
  verified: string[];
  sessionStarts: string[];
  /** Process CPU so far (user + system, ms). */
  cpuMs: number;
  /** SDK calls made and the CPU spent inside them (ms). */
  sdk: { calls: number; cpuMs: number };
  /** Redis commands sent (single-node Redis only; null otherwise). */
  redis: { storeCommands: number; sessionCommands: number; roundTrips: number; storeRoundTrips: number } | null;
}

let clusterCount = 0;

/** Starts everything; on failure, stops what was started. */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const names = options.names ?? ['A', 'B', 'C'];
  const useRedis = options.redis ?? true;
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch {
        // keep closing the rest
      }
    }
  };
  try {
    const redis = useRedis === true ? await startRedisServer() : null;
    if (redis) closers.push(() => redis.stop());
    const redisCluster = useRedis === 'cluster' ? await startRedisCluster() : null;
    if (redisCluster) closers.push(() => redisCluster.stop());
    const redisSentinel = useRedis === 'sentinel' ? await startRedisSentinel({ sentinels: 2 }) : null;
    if (redisSentinel) closers.push(() => redisSentinel.stop());
    const emulator = await startTestEmulator();
    closers.push(() => emulator.close());
    const proxy = new RoundRobinProxy([]);
    await proxy.start();
    closers.push(() => proxy.close());
    emulator.setServiceCallbackUrl(emulator.service.id, `${proxy.url}/webhooks/truvalidate`);

    const env: InstanceEnv = {
      REDIS_URL: redis ? redis.url : '',
      REDIS_CLUSTER_URLS: redisCluster ? redisCluster.urls.join(',') : '',
      REDIS_SENTINEL: redisSentinel
        ? `${redisSentinel.name}@${redisSentinel.sentinelRootNodes.map((n) => `${n.host}:${n.port}`).join(',')}`
        : '',
      STORE_PREFIX: `cluster${++clusterCount}:`,
      SESSION_SECRET: 'multi-instance tests',
      TRUVALIDATE_API_URL: emulator.url,
      TRUVALIDATE_SERVICE_ID: emulator.service.id,
      TRUVALIDATE_PRIVATE_KEY: emulator.service.privateKey,
      APP_URL: proxy.url,
      // Short for the outage tests of the single redis-server; a cluster or Sentinel (more processes, and the whole
      // suite on two cores) gets more slack.
      REDIS_COMMAND_TIMEOUT_MS: redisCluster || redisSentinel ? '5000' : '500',
    };
    const instanceEnv = { ...env, STRATEGY_OPTIONS: JSON.stringify(options.strategyOptions ?? {}) } as InstanceEnv;
    const instances = new Map<string, AppInstance>();
    closers.push(async () => {
      await Promise.all([...instances.values()].map((i) => i.kill()));
    });
    const started = await Promise.allSettled(names.map((name) => AppInstance.start(name, instanceEnv)));
    for (const s of started) if (s.status === 'fulfilled') instances.set(s.value.name, s.value);
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    for (const name of names) proxy.setBackend({ name, port: instances.get(name)!.port });

    const cluster: Cluster = {
      redis,
      redisCluster,
      redisSentinel,
      emulator,
      phone: new Phone(emulator),
      proxy,
      instances,
      env,
      webhookTargets: null,
      browser: () => request.agent(proxy.url),
      async kill(name) {
        await instances.get(name)?.kill();
      },
      async restart(name) {
        await instances.get(name)?.kill();
        const instance = await AppInstance.start(name, instanceEnv);
        instances.set(name, instance);
        proxy.setBackend({ name, port: instance.port });
      },
      async stats() {
        const live = [...instances.values()].filter((i) => i.alive);
        return Promise.all(
          live.map(async (i) => {
            const res = await fetch(`http://127.0.0.1:${i.port}/__instance`);
            return (await res.json()) as InstanceStats;
          }),
        );
      },
      async openStore() {
        if (!redisCluster && !redisSentinel) return new RedisStore({ url: env.REDIS_URL, prefix: env.STORE_PREFIX });
        const client = redisCluster
          ? createCluster({ rootNodes: redisCluster.rootNodes })
          : createSentinel({ name: redisSentinel!.name, sentinelRootNodes: redisSentinel!.sentinelRootNodes });
        client.on('error', () => undefined);
        await client.connect();
        const store = new RedisStore({ client, prefix: env.STORE_PREFIX });
        const close = store.close.bind(store);
        store.close = async () => {
          await close();
          await client.close();
        };
        return store;
      },
      close: closeAll,
    };
    proxy.route = (req: IncomingMessage) => {
      const pinned = req.headers['x-instance'];
      if (typeof pinned === 'string' && pinned !== '') return pinned.split(',');
      if ((req.url ?? '').startsWith('/webhooks/')) return cluster.webhookTargets;
      return null;
    };
    return cluster;
  } catch (err) {
    await closeAll();
    throw err;
  }
}
