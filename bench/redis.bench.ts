/**
 * Several instances on Redis against one instance on the memory store, in the same run, through the same
 * round-robin proxy and the same emulator setup (real processes, real webhooks over loopback):
 * - logins per second: complete logins (start, approval on the phone, status answer) with 10 in flight;
 * - approval-to-status latency: from the approval (control API call, which delivers the webhook) to the answer of
 *   the browser's waiting status request (long poll), p50 and p95. On Redis the webhook, the wait and the
 *   completion generally land on different instances, so this includes the pub/sub hop.
 */
import { performance } from 'node:perf_hooks';
import { startCluster, type Cluster } from '../test/redis/helpers/cluster';

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

async function loginsPerSecond(cluster: Cluster): Promise<number> {
  await fullLogin(cluster); // warm up every path once
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < THROUGHPUT_LOGINS) {
        next++;
        await fullLogin(cluster);
      }
    }),
  );
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

interface Figures {
  label: string;
  perSecond: number;
  p50: number;
  p95: number;
}

async function measure(label: string, start: () => Promise<Cluster>): Promise<Figures> {
  const cluster = await start();
  try {
    const perSecond = await loginsPerSecond(cluster);
    const latencies = await approvalToStatus(cluster);
    return { label, perSecond, p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
  } finally {
    await cluster.close();
  }
}

function line(f: Figures): string {
  return `${f.label}: ${f.perSecond.toFixed(1)} logins/s (${THROUGHPUT_LOGINS} logins, ${IN_FLIGHT} in flight); approval->status p50 ${f.p50.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms (${LATENCY_LOGINS} logins)`;
}

/** Runs the comparison; returns summary lines. */
export async function run(): Promise<string[]> {
  const memory = await measure('memory store, 1 instance', () => startCluster({ names: ['solo'], redis: false }));
  const redis = await measure('RedisStore, 3 instances ', () => startCluster({ names: ['A', 'B', 'C'] }));
  return [
    line(memory),
    line(redis),
    `redis x3 / memory x1: throughput ${(redis.perSecond / memory.perSecond).toFixed(2)}x, p50 latency ${(redis.p50 / memory.p50).toFixed(2)}x, p95 latency ${(redis.p95 / memory.p95).toFixed(2)}x`,
  ];
}
