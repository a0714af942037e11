/**
 * The strategy's latency and cost per push login, against the emulator in a child process (its CPU not counted).
 *
 * - Latency: from the approval (the control API call of the simulated phone) to the browser's status answer
 *   (a waiting `GET /login/status` long poll), through the webhook path and the poll-only path (no callback URL;
 *   `pollIntervalMs` 200), p50 and p95.
 * - Cost: app-process CPU per login (Express, sessions, Passport, the strategy, the SDK, and the test browser's
 *   HTTP client), the part spent inside the SDK calls the strategy makes (`process.cpuUsage()` deltas around
 *   them), and the rest as an upper bound of the strategy's own cost, with its ratio to the SDK cost.
 * Goal: webhook path p50 under 50 ms on loopback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import request from 'supertest';
import { ServiceFactory, type ServiceClient } from '../lib/sdk';
import { startTestApp, type TestApp } from '../test/strategy/helpers/app';

interface ChildInfo {
  url: string;
  service: { id: string; privateKey: string };
  user: string;
}

const USER = 'bench-user';
const WEBHOOK_LOGINS = 30;
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
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', CHILD_CODE], { cwd: join(__dirname, '..'), stdio: ['pipe', 'pipe', 'inherit'] });
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
    const req = httpRequest(`${url}/_emulator${path}`, { method, headers: { 'Content-Type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 500) >= 300) reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
        else resolve(JSON.parse(text) as unknown);
      });
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

/** Wraps the SDK methods the strategy calls so that the CPU spent inside them is summed. */
function meterSdk(client: ServiceClient): { total: () => number; reset: () => void } {
  let spent = 0;
  const methods = ['authorizationRequest', 'getAdvancedAuthorizationResponse', 'sessionStart', 'sessionEnd', 'handleAdvancedWebhook'] as const;
  for (const name of methods) {
    const original = (client[name] as (...args: unknown[]) => Promise<unknown>).bind(client);
    (client as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      const start = process.cpuUsage();
      try {
        return await original(...args);
      } finally {
        spent += cpuMs(start);
      }
    };
  }
  return { total: () => spent, reset: () => (spent = 0) };
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

/** One login: start, a waiting status poll, the approval; returns ms from approval to the status answer. */
async function oneLogin(app: TestApp, emulatorUrl: string): Promise<number> {
  const browser = request.agent(app.url);
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
  await browser.post('/logout');
  return answeredAt - approvedAt;
}

async function series(app: TestApp, emulatorUrl: string, count: number, sdk: ReturnType<typeof meterSdk>): Promise<{ latencies: number[]; cpuPerLogin: number; sdkPerLogin: number }> {
  await oneLogin(app, emulatorUrl); // warm-up
  sdk.reset();
  const latencies: number[] = [];
  let cpu = 0;
  for (let i = 0; i < count; i++) {
    const start = process.cpuUsage();
    latencies.push(await oneLogin(app, emulatorUrl));
    cpu += cpuMs(start);
  }
  return { latencies: latencies.sort((a, b) => a - b), cpuPerLogin: cpu / count, sdkPerLogin: sdk.total() / count };
}

function line(name: string, r: { latencies: number[]; cpuPerLogin: number; sdkPerLogin: number }): string[] {
  const rest = r.cpuPerLogin - r.sdkPerLogin;
  return [
    `strategy ${name}: approval->status p50=${percentile(r.latencies, 50).toFixed(1)}ms p95=${percentile(r.latencies, 95).toFixed(1)}ms (n=${r.latencies.length})`,
    `strategy ${name}: app CPU/login=${r.cpuPerLogin.toFixed(1)}ms, in SDK calls=${r.sdkPerLogin.toFixed(1)}ms, rest (strategy+Express+sessions+Passport+test client, upper bound)=${rest.toFixed(1)}ms, rest/SDK=${(rest / r.sdkPerLogin).toFixed(2)}`,
  ];
}

/** Runs the benchmark and returns its summary lines. */
export async function run(): Promise<string[]> {
  const emulator = await EmulatorChild.start();
  const { url, service } = emulator.info;
  const out: string[] = [];
  try {
    for (const mode of ['webhook', 'poll-only'] as const) {
      const client = new ServiceFactory(service.id, service.privateKey, { url }).makeServiceClient();
      const sdk = meterSdk(client);
      const app = await startTestApp({ apiUrl: url, service, client, strategyOptions: { pollIntervalMs: POLL_INTERVAL_MS, pushLimit: false } });
      try {
        await emulator.setCallback(mode === 'webhook' ? app.webhookUrl : null);
        const result = await series(app, url, mode === 'webhook' ? WEBHOOK_LOGINS : POLL_LOGINS, sdk);
        out.push(...line(mode === 'webhook' ? 'webhook' : `poll-only (pollIntervalMs=${POLL_INTERVAL_MS})`, result));
      } finally {
        await app.close();
      }
    }
  } finally {
    await emulator.stop();
  }
  return out;
}
