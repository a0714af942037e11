/**
 * The strategy's latency and cost per push login. Three processes, so that each figure is measured where it
 * belongs: the emulator (API and phone) in one child, the app (Express, express-session, Passport, the strategy,
 * memory stores: `test/redis/fixtures/app-instance.ts`) in another, and the test browser (supertest) here.
 *
 * - Latency: from the approval (the control API call of the simulated phone) to the browser's status answer (a
 *   waiting `GET /login/status` long poll), through the webhook path and the poll-only path (no callback URL;
 *   `pollIntervalMs` 200), p50 and p95.
 * - Cost: the app process's CPU per login (`process.cpuUsage()` in that process: start, status, webhook, logout),
 *   the part spent inside the SDK calls the strategy makes (the same counter around each call), and the rest: the
 *   strategy's own cost with Express, sessions and Passport, without the SDK and without the test browser. Its
 *   ratio to the SDK's cost is the figure of issue 14 (goal: at most 0.3).
 *
 * - Framework floor: the same four requests through Express, express-session and Passport alone, in an app of the
 *   same middleware without the strategy and without the SDK (`bench/fixtures/framework-app.ts`, its own process):
 *   the least any Passport strategy on this stack costs, printed with its ratio to the SDK calls of a webhook
 *   login. The SDK meter counts the process CPU between the start and the end of each call; `sessionStart` runs in
 *   the background, so its window also holds part of the status answer (session save, response): the split
 *   between the SDK and the rest is good to a few tenths of a ms, and the strategy's own share is within that of
 *   the floor.
 *
 * The apps are warmed up first (`BENCH_STRATEGY_WARMUP` logins, default 300) so that V8's compilation of the code
 * paths is not counted as per-login cost: after 60 logins V8 was still optimizing about 1.4 functions per login
 * (`node --trace-opt` in the app process, logins 60 to 300), and the per-login CPU included that background work.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { AppInstance } from '../test/redis/helpers/instances';
import type { InstanceStats } from '../test/redis/helpers/cluster';

interface ChildInfo {
  url: string;
  service: { id: string; privateKey: string };
  user: string;
}

const USER = 'bench-user';
const WARMUP = Number(process.env.BENCH_STRATEGY_WARMUP ?? 300);
const WEBHOOK_LOGINS = Number(process.env.BENCH_STRATEGY_LOGINS ?? 60);
const POLL_LOGINS = 20;
const POLL_INTERVAL_MS = 200;

const CHILD_CODE = `
const { startEmulator } = require('./lib/emulator');
const readline = require('node:readline');
startEmulator({ port: 0 }).then(async (emu) => {
  await emu.linkUser(${JSON.stringify(USER)});
  process.stdout.write(JSON.stringify({ url: emu.url, service: emu.service, user: ${JSON.stringify(USER)} }) + '\\n');
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const cmd = JSON.parse(line);
    emu.setServiceCallbackUrl(emu.service.id, cmd.callback);
    process.stdout.write('ok\\n');
  });
  lines.on('close', () => emu.close().then(() => process.exit(0)));
});
`;

class EmulatorChild {
  private constructor(
    readonly child: ChildProcess,
    readonly lines: Interface,
    readonly info: ChildInfo,
  ) {}

  static async start(): Promise<EmulatorChild> {
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', CHILD_CODE], {
      cwd: join(__dirname, '..'),
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout! });
    const first = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`emulator child exited with ${code}`)));
    });
    return new EmulatorChild(child, lines, JSON.parse(first) as ChildInfo);
  }

  async setCallback(url: string | null): Promise<void> {
    const ack = new Promise<string>((resolve) => this.lines.once('line', resolve));
    this.child.stdin!.write(`${JSON.stringify({ callback: url })}\n`);
    await ack;
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin!.end();
    await exited;
  }
}

function control(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}/_emulator${path}`,
      { method, headers: { 'Content-Type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 500) >= 300) reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
          else resolve(JSON.parse(text) as unknown);
        });
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function appStats(appUrl: string): Promise<InstanceStats> {
  const res = await fetch(`${appUrl}/__instance`);
  return (await res.json()) as InstanceStats;
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

/** One login: start, a waiting status poll, the approval, logout; returns ms from approval to the status answer. */
async function oneLogin(appUrl: string, emulatorUrl: string): Promise<number> {
  const browser = request.agent(appUrl);
  const started = await browser.post('/login').set('Accept', 'application/json').send({ username: USER });
  if (started.status !== 202) throw new Error(`start answered ${started.status} ${JSON.stringify(started.body)}`);
  const auths = (await control(emulatorUrl, 'GET', `/auths?user=${USER}`)) as { authRequestId: string }[];
  const id = auths[0]?.authRequestId;
  if (!id) throw new Error('no pending request');
  let answeredAt = 0;
  const waiting = browser
    .get('/login/status')
    .set('Accept', 'application/json')
    .then((res) => {
      answeredAt = performance.now();
      return res;
    });
  await new Promise((r) => setTimeout(r, 30)); // let the poll reach the server and wait
  const approvedAt = performance.now();
  await control(emulatorUrl, 'POST', `/auths/${id}/respond`, { action: 'approve' });
  const res = await waiting;
  if (res.body.status !== 'authorized') throw new Error(`status answered ${JSON.stringify(res.body)}`);
  const out = await browser.post('/logout');
  if (out.status !== 204) throw new Error(`logout answered ${out.status}`);
  return answeredAt - approvedAt;
}

/** Per-login figures of a series. */
export interface SeriesFigures {
  latencies: number[];
  /** App process CPU per login (ms). */
  appCpu: number;
  /** The part inside SDK calls (ms). */
  sdkCpu: number;
  /** SDK calls per login. */
  sdkCalls: number;
}

async function series(appUrl: string, emulatorUrl: string, warmup: number, count: number): Promise<SeriesFigures> {
  for (let i = 0; i < warmup; i++) await oneLogin(appUrl, emulatorUrl);
  const before = await appStats(appUrl);
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) latencies.push(await oneLogin(appUrl, emulatorUrl));
  const after = await appStats(appUrl);
  return {
    latencies: latencies.sort((a, b) => a - b),
    appCpu: (after.cpuMs - before.cpuMs) / count,
    sdkCpu: (after.sdk.cpuMs - before.sdk.cpuMs) / count,
    sdkCalls: (after.sdk.calls - before.sdk.calls) / count,
  };
}

function lines(name: string, r: SeriesFigures): string[] {
  const own = r.appCpu - r.sdkCpu;
  return [
    `strategy ${name}: approval->status ` +
      `p50=${percentile(r.latencies, 50).toFixed(1)}ms ` +
      `p95=${percentile(r.latencies, 95).toFixed(1)}ms ` +
      `(n=${r.latencies.length})`,
    `strategy ${name}: app process CPU/login=${r.appCpu.toFixed(2)}ms, ` +
      `in ${r.sdkCalls.toFixed(1)} SDK calls=${r.sdkCpu.toFixed(2)}ms, ` +
      `strategy+Express+sessions+Passport=${own.toFixed(2)}ms, strategy/SDK ratio=${(own / r.sdkCpu).toFixed(2)}`,
  ];
}

/** The framework floor next to a webhook series, with its ratio to the SDK calls of that series. */
function floorLine(floor: number, r: SeriesFigures): string {
  return (
    `strategy framework floor (Express, express-session, Passport; no strategy, no SDK): ${floor.toFixed(2)}ms ` +
    `CPU/login, floor/SDK ratio=${(floor / r.sdkCpu).toFixed(2)}`
  );
}

const FRAMEWORK_APP = join(__dirname, 'fixtures', 'framework-app.ts');

/** Sizes of the emulator's webhook of an approval: body (a JWE) and its `X-IOV-JWT` header, in characters. */
const WEBHOOK_BODY_CHARS = 4129;
const WEBHOOK_JWT_CHARS = 903;

/** Starts the framework-floor app (bench/fixtures/framework-app.ts) in its own process. */
async function startFrameworkApp(): Promise<{ url: string; child: ChildProcess }> {
  const child = fork(FRAMEWORK_APP, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port?: number }) =>
      typeof m.port === 'number' ? resolve(m.port) : reject(new Error(`framework app sent ${JSON.stringify(m)}`)),
    );
    child.once('exit', (code) => reject(new Error(`framework app exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

/** Kept-alive connections for the framework floor's webhooks, as the emulator delivers its webhooks. */
const webhookAgent = new HttpAgent({ keepAlive: true });

/** One webhook delivery to the framework-floor app over a kept-alive connection; resolves with the status. */
function deliverWebhook(appUrl: string, body: string, jwt: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${appUrl}/webhooks/truvalidate`,
      {
        method: 'POST',
        agent: webhookAgent,
        headers: { 'Content-Type': 'application/jose', 'Content-Length': Buffer.byteLength(body), 'X-IOV-JWT': jwt },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** One login's four requests (start, status, webhook, logout) against the framework-floor app. */
async function oneFrameworkLogin(appUrl: string, webhookBody: string, webhookJwt: string): Promise<void> {
  const browser = request.agent(appUrl);
  const started = await browser.post('/login').set('Accept', 'application/json').send({ username: USER });
  if (started.status !== 202) throw new Error(`framework start answered ${started.status}`);
  const status = await browser.get('/login/status').set('Accept', 'application/json');
  if (status.body.status !== 'authorized') throw new Error(`framework status answered ${status.status}`);
  const hook = await deliverWebhook(appUrl, webhookBody, webhookJwt);
  if (hook !== 204) throw new Error(`framework webhook answered ${hook}`);
  const out = await browser.post('/logout');
  if (out.status !== 204) throw new Error(`framework logout answered ${out.status}`);
}

/**
 * The framework floor: the app process's CPU per login of the four requests through Express, express-session and
 * Passport alone (bench/fixtures/framework-app.ts), after the same warm-up as the strategy's app.
 */
async function frameworkFloor(warmup: number, count: number): Promise<number> {
  const { url, child } = await startFrameworkApp();
  const body = 'a'.repeat(WEBHOOK_BODY_CHARS);
  const jwt = 'b'.repeat(WEBHOOK_JWT_CHARS);
  const cpuMs = async () => ((await (await fetch(`${url}/__instance`)).json()) as { cpuMs: number }).cpuMs;
  try {
    for (let i = 0; i < warmup; i++) await oneFrameworkLogin(url, body, jwt);
    const before = await cpuMs();
    for (let i = 0; i < count; i++) await oneFrameworkLogin(url, body, jwt);
    return ((await cpuMs()) - before) / count;
  } finally {
    webhookAgent.destroy();
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.disconnect();
    await gone;
  }
}

/** Runs the benchmark and returns its summary lines. */
export async function run(): Promise<string[]> {
  const emulator = await EmulatorChild.start();
  const { url, service } = emulator.info;
  const out: string[] = [];
  const floor = await frameworkFloor(WARMUP, WEBHOOK_LOGINS);
  try {
    for (const mode of ['webhook', 'poll-only'] as const) {
      const app = await AppInstance.start(mode, {
        REDIS_URL: '',
        STORE_PREFIX: 'bench:',
        SESSION_SECRET: 'strategy bench',
        TRUVALIDATE_API_URL: url,
        TRUVALIDATE_SERVICE_ID: service.id,
        TRUVALIDATE_PRIVATE_KEY: service.privateKey,
        APP_URL: '',
        STRATEGY_OPTIONS: JSON.stringify({ pollIntervalMs: POLL_INTERVAL_MS, pushLimit: false, clientLimit: false }),
      } as Parameters<typeof AppInstance.start>[1]);
      const appUrl = `http://127.0.0.1:${app.port}`;
      try {
        await emulator.setCallback(mode === 'webhook' ? `${appUrl}/webhooks/truvalidate` : null);
        const result =
          mode === 'webhook'
            ? await series(appUrl, url, WARMUP, WEBHOOK_LOGINS)
            : await series(appUrl, url, 3, POLL_LOGINS);
        out.push(...lines(mode === 'webhook' ? 'webhook' : `poll-only (pollIntervalMs=${POLL_INTERVAL_MS})`, result));
        if (mode === 'webhook') out.push(floorLine(floor, result));
      } finally {
        await app.kill();
      }
    }
  } finally {
    await emulator.stop();
  }
  return out;
}

if (require.main === module) {
  void run().then((l) => l.forEach((x) => console.log(x)));
}
