/**
 * Several instances on Redis against one instance on the memory store, in the same run, through the same
 * round-robin proxy and the same emulator setup (real processes, real webhooks over loopback):
 * - logins per second: complete logins (start, approval on the phone, status answer) with 10 in flight;
 * - approval-to-status latency: from the approval (control API call, which delivers the webhook) to the answer of
 *   the browser's waiting status request (long poll), p50 and p95. On Redis the webhook, the wait and the
 *   completion generally land on different instances, so this includes the pub/sub hop.
 * - Cost model (RedisStore path, measured over the sequential latency logins): Redis commands and round trips per
 *   login (counted around each instance's client: the strategy's store and the session store apart), the app
 *   instances' CPU per login (their `process.cpuUsage()`; with and without the SDK calls), the redis-server's CPU
 *   per login (`INFO cpu`), and from them the logins per second one core of app instances and one Redis node can
 *   carry. A login here is: start, a waiting status request, the approval's webhook, the completion.
 */
import { performance } from 'node:perf_hooks';
import { createClient } from 'redis';
import { startCluster, type Cluster, type InstanceStats } from '../test/redis/helpers/cluster';

/**
 * Logins (10 in flight) before anything is measured, so that V8's compilation of the code paths is not counted as
 * per-login cost or lost throughput (`BENCH_REDIS_WARMUP`, default 300: about 100 per instance on Redis).
 */
const WARMUP_LOGINS = Number(process.env.BENCH_REDIS_WARMUP ?? 300);
const THROUGHPUT_LOGINS = 60;
const IN_FLIGHT = 10;
const LATENCY_LOGINS = 30;

let users = 0;

async function fullLogin(cluster: Cluster): Promise<void> {
  const username = `bench-${++users}`;
  await cluster.emulator.linkUser(username);
  const browser = cluster.browser();
  const started = await browser.post('/login').send({ username });
  if (started.status !== 202) throw new Error(`login start answered ${started.status}`);
  await cluster.phone.answer(username, 'approve');
  const status = await browser.get('/login/status');
  if (status.body.status !== 'authorized') throw new Error(`status answered ${JSON.stringify(status.body)}`);
}

/** `count` complete logins, `IN_FLIGHT` at a time. */
async function loginsInFlight(cluster: Cluster, count: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) {
        next++;
        await fullLogin(cluster);
      }
    }),
  );
}

async function loginsPerSecond(cluster: Cluster): Promise<number> {
  await loginsInFlight(cluster, WARMUP_LOGINS);
  const t0 = performance.now();
  await loginsInFlight(cluster, THROUGHPUT_LOGINS);
  return THROUGHPUT_LOGINS / ((performance.now() - t0) / 1000);
}

async function approvalToStatus(cluster: Cluster): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_LOGINS; i++) {
    const username = `bench-${++users}`;
    await cluster.emulator.linkUser(username);
    const browser = cluster.browser();
    await browser.post('/login').send({ username });
    const auth = await cluster.phone.onlyAuth(username);
    const waiting = browser.get('/login/status').then((res) => ({ res, at: performance.now() }));
    for (let tries = 0; cluster.proxy.inFlight.get('/login/status') !== 1; tries++) {
      if (tries > 400) throw new Error('status request never reached an instance');
      await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 20)); // let the instance register its wait
    const t0 = performance.now();
    await cluster.phone.respond(auth.authRequestId, 'approve');
    const { res, at } = await waiting;
    if (res.body.status !== 'authorized') throw new Error(`status answered ${JSON.stringify(res.body)}`);
    samples.push(at - t0);
  }
  return samples.sort((a, b) => a - b);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Per-login costs of the RedisStore path. */
interface Costs {
  storeCommands: number;
  sessionCommands: number;
  roundTrips: number;
  storeRoundTrips: number;
  /** CPU of every app instance together, per login (ms). */
  appCpu: number;
  /** The part inside SDK calls (ms). */
  sdkCpu: number;
  /** CPU of the redis-server per login (ms). */
  redisCpu: number;
}

interface Figures {
  label: string;
  perSecond: number;
  p50: number;
  p95: number;
  costs: Costs | null;
}

/** Sum of every instance's counters. */
function totals(stats: InstanceStats[]): {
  cpu: number;
  sdk: number;
  store: number;
  session: number;
  trips: number;
  storeTrips: number;
} {
  const sum = { cpu: 0, sdk: 0, store: 0, session: 0, trips: 0, storeTrips: 0 };
  for (const s of stats) {
    sum.cpu += s.cpuMs;
    sum.sdk += s.sdk.cpuMs;
    sum.store += s.redis?.storeCommands ?? 0;
    sum.session += s.redis?.sessionCommands ?? 0;
    sum.trips += s.redis?.roundTrips ?? 0;
    sum.storeTrips += s.redis?.storeRoundTrips ?? 0;
  }
  return sum;
}

/** The redis-server's own CPU so far (user + system, ms), from `INFO cpu`. */
async function redisCpuMs(url: string): Promise<number> {
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const info = await client.info('cpu');
    const read = (name: string): number => Number(new RegExp(`${name}:([0-9.]+)`).exec(info)?.[1] ?? NaN);
    return (read('used_cpu_user') + read('used_cpu_sys')) * 1000;
  } finally {
    client.destroy();
  }
}

async function measure(label: string, start: () => Promise<Cluster>): Promise<Figures> {
  const cluster = await start();
  try {
    const perSecond = await loginsPerSecond(cluster);
    const redisUrl = cluster.redis?.url;
    const before = totals(await cluster.stats());
    const redisBefore = redisUrl ? await redisCpuMs(redisUrl) : 0;
    const latencies = await approvalToStatus(cluster);
    const after = totals(await cluster.stats());
    const redisAfter = redisUrl ? await redisCpuMs(redisUrl) : 0;
    const per = (a: number, b: number): number => (a - b) / LATENCY_LOGINS;
    const costs: Costs | null = redisUrl
      ? {
          storeCommands: per(after.store, before.store),
          sessionCommands: per(after.session, before.session),
          roundTrips: per(after.trips, before.trips),
          storeRoundTrips: per(after.storeTrips, before.storeTrips),
          appCpu: per(after.cpu, before.cpu),
          sdkCpu: per(after.sdk, before.sdk),
          redisCpu: per(redisAfter, redisBefore),
        }
      : null;
    return { label, perSecond, p50: percentile(latencies, 50), p95: percentile(latencies, 95), costs };
  } finally {
    await cluster.close();
  }
}

function costLines(c: Costs): string[] {
  return [
    `RedisStore round trips per login: ${c.storeRoundTrips.toFixed(1)} (strategy's store, goal <= 10; ` +
      `${c.storeCommands.toFixed(1)} commands) + ${(c.roundTrips - c.storeRoundTrips).toFixed(1)} (session store; ` +
      `${c.sessionCommands.toFixed(1)} commands) = ${c.roundTrips.toFixed(1)}`,
    `RedisStore cost per login: app instances ${c.appCpu.toFixed(2)} ms CPU (${c.sdkCpu.toFixed(2)} ms in SDK calls, ` +
      `${(c.appCpu - c.sdkCpu).toFixed(2)} ms ` +
      `strategy+Express+sessions+Passport), redis-server ` +
      `${c.redisCpu.toFixed(3)} ms CPU`,
    `RedisStore projection: ${(1000 / c.appCpu).toFixed(0)} logins/s per core of app instances, ` +
      `${(1000 / c.redisCpu).toFixed(0)} logins/s per Redis core (single-threaded node)`,
  ];
}

function line(f: Figures): string {
  return (
    `${f.label}: ${f.perSecond.toFixed(1)} logins/s (${THROUGHPUT_LOGINS} ` +
    `logins, ${IN_FLIGHT} in flight); approval->status p50 ` +
    `${f.p50.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms (${LATENCY_LOGINS} ` +
    `logins)`
  );
}

/** Runs the comparison; returns summary lines. */
export async function run(): Promise<string[]> {
  const memory = await measure('memory store, 1 instance', () => startCluster({ names: ['solo'], redis: false }));
  const redis = await measure('RedisStore, 3 instances ', () => startCluster({ names: ['A', 'B', 'C'] }));
  return [
    line(memory),
    line(redis),
    ...(redis.costs ? costLines(redis.costs) : []),
    `redis x3 / memory x1: throughput ` +
      `${(redis.perSecond / memory.perSecond).toFixed(2)}x, p50 latency ` +
      `${(redis.p50 / memory.p50).toFixed(2)}x, p95 latency ` +
      `${(redis.p95 / memory.p95).toFixed(2)}x`,
  ];
}

if (require.main === module) {
  void run().then((l) => l.forEach((x) => console.log(x)));
}
