/**
 * Client-side CPU cost of an SDK call pair against the emulator (authorizationRequest + one
 * getAdvancedAuthorizationResponse after approval) compared with the raw crypto floor of the same work: the same
 * sign, encrypt, verify and decrypt operations alone, with the same keys, through the shared primitives.
 * The emulator runs in a child process so that its CPU is not counted; the client CPU is measured with
 * `process.cpuUsage()` deltas around the SDK calls only. Both HTTP adapters are measured in the same run: the
 * default (axios) and the opt-in `httpAdapter: 'node'`. Prints a line per key size and adapter, the emulator's CPU
 * per call pair next to the client's (`emulator/client CPU ratio: 2048=R1 4096=R2`, read from the emulator's
 * `GET /_emulator/stats`), `sdk-call/crypto-floor ratio (node http)`, the default configuration's
 * `sdk-call/crypto-floor ratio` and, last, `sdk-call/(crypto+http) ratio: 2048=R1 4096=R2`.
 *
 * Every kind of work is warmed up first (`BENCH_WARMUP`, default 1000, pairs per adapter at 2048 bits, which also
 * warms the code for the 4096-bit run, then 5 at 4096) so that one-time costs are not counted as per-call costs:
 * V8 keeps compiling the many small functions of the call path (SDK, axios or node:http, jose) with TurboFan on
 * its background threads for the first several hundred pairs, and that CPU lands in `process.cpuUsage()`; also
 * the first connection and the key and time caches. (Measured in rounds of 200 pairs of two clients taking turns
 * after 300 warm-up pairs each: 4.5, 3.4, then 2.9 ms per pair from the third round on.) The process CPU includes
 * every thread: V8's GC and compiler helpers too, so garbage made in one section is collected, and counted, a
 * little later. Each kind of work therefore runs in blocks of consecutive pairs (200 pairs at 2048 bits, 40 at
 * 4096, in blocks of 20), the blocks taking turns: a block's garbage is mostly collected within it, and drift in
 * machine load affects every kind alike. The "bare node:http" figure replays the captured requests (answered at
 * once with a refusal); the "answered by the emulator" figure sends the same two calls as the SDK's, so "rest"
 * (SDK - floor - that) is what the SDK adds around the crypto and HTTP. The line with the 10 % budget puts the
 * cost of axios' request pipeline (the default adapter's pairs minus the node adapter's: config merge, header
 * objects, promise chain) next to that budget.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import axios, { type AxiosInstance } from 'axios';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { JOSETransport, ServiceFactory, type JOSETransportOptions, type ServiceClient } from '../lib/sdk';
import { decryptJwe, encryptJwe, signJwt, verifyJwt } from '../lib/sdk/transport/jose-primitives';
import { keyId, parseRsaPrivateKey, parseRsaPublicKey } from '../lib/sdk/transport/keys';
import { buildRequestJwt } from '../lib/sdk/transport/request-jwt';
import { USER_AGENT } from '../lib/sdk/transport/http-transport';

/** Warm-up pairs per adapter at 2048 bits (they also warm the shared code for the 4096-bit run). */
const WARMUP_2048 = Number(process.env.BENCH_WARMUP ?? 1000);

/** Consecutive pairs of one kind of work per measured block. */
const BLOCK = 20;

interface ChildInfo {
  url: string;
  service: { id: string; privateKey: string };
  user: string;
}

const CHILD_CODE = `
const { startEmulator } = require('./lib/emulator');
startEmulator({ port: 0, keyBits: Number(process.env.BENCH_KEY_BITS) }).then(async (emu) => {
  const user = 'bench-user';
  await emu.linkUser(user);
  process.stdout.write(JSON.stringify({ url: emu.url, service: emu.service, user }) + '\\n');
  process.stdin.on('end', () => emu.close().then(() => process.exit(0)));
  process.stdin.resume();
});
`;

async function startChild(bits: number): Promise<{ child: ChildProcess; info: ChildInfo }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', CHILD_CODE], {
    cwd: join(__dirname, '..'),
    env: { ...process.env, BENCH_KEY_BITS: String(bits) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator child exited with ${code}`)));
  });
  return { child, info: JSON.parse(first) as ChildInfo };
}

/** The simulated phone approves (plain node:http, so that no lazily started client leaves work behind). */
function approve(url: string, id: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}/_emulator/auths/${id}/respond`,
      { method: 'POST', headers: { 'Content-Type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`approve failed: ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ action: 'approve' }));
  });
}

function cpuMs(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

/** One call pair; returns the client CPU in ms spent inside the two SDK calls. */
async function measuredPair(client: ServiceClient, info: ChildInfo): Promise<number> {
  let t = process.cpuUsage();
  const req = await client.authorizationRequest(info.user);
  let spent = cpuMs(t);
  await approve(info.url, req.authRequest);
  t = process.cpuUsage();
  const res = await client.getAdvancedAuthorizationResponse(req.authRequest);
  spent += cpuMs(t);
  if (!res?.authorized) throw new Error('the bench login was not authorized');
  return spent;
}

/** Wire material of one call pair, captured from a separate client through axios interceptors. */
interface Material {
  /** The two requests as sent: method, path, headers and body. */
  requests: Array<{ method: string; path: string; headers: Record<string, string>; body: string | undefined }>;
  requestPlaintext: string;
  requestClaims: Record<string, unknown>[];
  responseJwts: string[];
  responseBodies: string[];
  authJwe: string;
  apiEncKey: KeyObject;
  apiEncKid: string;
  apiSignKey: KeyObject;
}

async function captureMaterial(info: ChildInfo): Promise<Material> {
  const http: AxiosInstance = axios.create();
  const requestClaims: Record<string, unknown>[] = [];
  const requests: Material['requests'] = [];
  const responseJwts: string[] = [];
  const responseBodies: string[] = [];
  http.interceptors.request.use((config) => {
    const auth = config.headers?.['Authorization'];
    if (typeof auth === 'string') {
      requestClaims.push(decodeJwt(auth.slice('IOV-JWT '.length)) as Record<string, unknown>);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(config.headers ?? {})) if (typeof v === 'string') headers[k] = v;
      requests.push({
        method: String(config.method).toUpperCase(),
        path: new URL(String(config.url)).pathname,
        headers,
        body: config.data as string | undefined,
      });
    }
    return config;
  });
  http.interceptors.response.use((res) => {
    const jwt = res.headers['x-iov-jwt'];
    if (typeof jwt === 'string') {
      responseJwts.push(jwt);
      responseBodies.push(String(res.data));
    }
    return res;
  });
  const transport = new JOSETransport({ httpClient: http });
  const client = new ServiceFactory(info.service.id, info.service.privateKey, {
    url: info.url,
    transport,
  }).makeServiceClient();
  const req = await client.authorizationRequest(info.user);
  await approve(info.url, req.authRequest);
  const res = await client.getAdvancedAuthorizationResponse(req.authRequest);
  const authJwe = String(res?.data['auth_jwe']);
  const encRes = await fetch(`${info.url}/public/v3/public-key`);
  const apiEncKid = encRes.headers.get('x-iov-key-id') ?? '';
  const apiEncKey = parseRsaPublicKey(await encRes.text());
  const signKid = String(decodeProtectedHeader(responseJwts[0] ?? '').kid);
  const apiSignKey = parseRsaPublicKey(await (await fetch(`${info.url}/public/v3/public-key/${signKid}`)).text());
  return {
    requests,
    requestPlaintext: JSON.stringify({ username: info.user }),
    requestClaims,
    responseJwts,
    responseBodies,
    authJwe,
    apiEncKey,
    apiEncKid,
    apiSignKey,
  };
}

/** The crypto floor of one call pair: 1 encrypt, 2 signs, 2 verifies, 3 decrypts (outer bodies and auth_jwe). */
async function floorPair(m: Material, clientKey: KeyObject, clientKid: string): Promise<number> {
  const t = process.cpuUsage();
  await encryptJwe(m.requestPlaintext, m.apiEncKey, m.apiEncKid, 'RSA-OAEP-256', 'application/json');
  for (let i = 0; i < 2; i++) {
    await signJwt(m.requestClaims[i] ?? {}, clientKey, 'RS256', clientKid);
    await verifyJwt(m.responseJwts[i] ?? '', m.apiSignKey);
    await decryptJwe(m.responseBodies[i] ?? '', clientKey);
  }
  await decryptJwe(m.authJwe, clientKey);
  return cpuMs(t);
}

/** One bare HTTP exchange with node:http (keep-alive), reading the whole answer; nothing is checked. */
function bareExchange(agent: HttpAgent, url: string, r: Material['requests'][number]): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${r.path}`, { method: r.method, headers: r.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        Buffer.concat(chunks).toString('utf8');
        resolve();
      });
    });
    req.on('error', reject);
    req.end(r.body);
  });
}

/** The HTTP floor of one call pair: the same two requests (same headers and bodies) as bare node:http exchanges. */
async function httpFloorPair(agent: HttpAgent, url: string, m: Material): Promise<number> {
  let spent = 0;
  for (const r of m.requests) {
    const t = process.cpuUsage();
    await bareExchange(agent, url, r);
    spent += cpuMs(t);
  }
  return spent;
}

/** One bare node:http exchange (keep-alive) that returns the status and the body as text; nothing is checked. */
function bareAnswer(
  agent: HttpAgent,
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The HTTP floor of one call pair, exchange for exchange the same as the SDK's: a real authorization request and
 * the poll of its answer, each sent as a bare node:http exchange with the headers the SDK sends, answered by the
 * emulator after the same work (so the same answer sizes and the same wait). Only the two exchanges are measured;
 * building the requests (JWTs, body encryption) and reading the answers happen outside the measured sections.
 */
async function realHttpFloorPair(
  agent: HttpAgent,
  info: ChildInfo,
  m: Material,
  clientKey: KeyObject,
  kid: string,
): Promise<number> {
  const subject = `svc:${info.service.id}`;
  const signingKey = { key: clientKey, kid };
  const jwt = (method: 'GET' | 'POST', path: string, body: string | undefined) =>
    buildRequestJwt({
      issuer: subject,
      subject,
      audience: 'lka',
      method,
      path,
      body,
      now: Date.now() / 1000,
      algorithm: 'RS256',
      hashAlgorithm: 'S256',
      signingKey,
    });
  const base = { 'User-Agent': USER_AGENT, 'Accept-Encoding': 'identity' };
  const payload = await encryptJwe(m.requestPlaintext, m.apiEncKey, m.apiEncKid, 'RSA-OAEP-256', 'application/json');
  const post = await jwt('POST', '/service/v3/auths', payload);
  const postHeaders = { ...base, 'Content-Type': 'application/jose', Authorization: `IOV-JWT ${post.token}` };
  let t = process.cpuUsage();
  const created = await bareAnswer(agent, info.url, 'POST', '/service/v3/auths', postHeaders, payload);
  let spent = cpuMs(t);
  if (created.status !== 201) throw new Error(`the bare authorization request answered ${created.status}`);
  const id = String((JSON.parse(await decryptJwe(created.body, clientKey)) as { auth_request?: unknown }).auth_request);
  await approve(info.url, id);
  const path = `/service/v3/auths/${id}`;
  const get = await jwt('GET', path, undefined);
  t = process.cpuUsage();
  const answered = await bareAnswer(agent, info.url, 'GET', path, { ...base, Authorization: `IOV-JWT ${get.token}` });
  spent += cpuMs(t);
  if (answered.status !== 200) throw new Error(`the bare poll answered ${answered.status}`);
  return spent;
}

/** The emulator's process CPU so far (user + system, ms), from its stats route. */
async function emulatorCpuMs(agent: HttpAgent, url: string): Promise<number> {
  const answer = await bareAnswer(agent, url, 'GET', '/_emulator/stats', {});
  const stats = JSON.parse(answer.body) as { cpuUserMicros: number; cpuSystemMicros: number };
  return (stats.cpuUserMicros + stats.cpuSystemMicros) / 1000;
}

/**
 * The emulator's CPU per call pair next to the client's, for the same pairs: the emulator's counter is read before
 * and after each SDK call (the phone's approval in between is not counted: it is the device's work, not the API's).
 * A read costs the emulator a little on both sides of its own snapshot; that cost, measured as the mean of
 * back-to-back reads, is taken off each interval.
 */
async function emulatorShare(
  client: ServiceClient,
  info: ChildInfo,
  agent: HttpAgent,
  pairs: number,
): Promise<{ emulator: number; client: number }> {
  let overhead = 0;
  for (let i = 0; i < 20; i++) {
    const a = await emulatorCpuMs(agent, info.url);
    overhead += (await emulatorCpuMs(agent, info.url)) - a;
  }
  overhead /= 20;
  let emulator = 0;
  let clientCpu = 0;
  for (let i = 0; i < pairs; i++) {
    let before = await emulatorCpuMs(agent, info.url);
    let t = process.cpuUsage();
    const req = await client.authorizationRequest(info.user);
    clientCpu += cpuMs(t);
    emulator += (await emulatorCpuMs(agent, info.url)) - before - overhead;
    await approve(info.url, req.authRequest);
    before = await emulatorCpuMs(agent, info.url);
    t = process.cpuUsage();
    const res = await client.getAdvancedAuthorizationResponse(req.authRequest);
    clientCpu += cpuMs(t);
    emulator += (await emulatorCpuMs(agent, info.url)) - before - overhead;
    if (!res?.authorized) throw new Error('the bench login was not authorized');
  }
  return { emulator: emulator / pairs, client: clientCpu / pairs };
}

/** Mean client CPU per call pair, in ms, of each measured kind of work. */
interface Figures {
  /** SDK call pairs through the default axios adapter. */
  sdkAxios: number;
  /** SDK call pairs through the opt-in node:http adapter (`httpAdapter: 'node'`). */
  sdkNode: number;
  floor: number;
  /** The captured requests replayed as bare exchanges (the emulator refuses the replays at once). */
  http: number;
  /** The same two calls as the SDK's, as bare exchanges answered by the emulator after the same work. */
  realHttp: number;
  /** The emulator's CPU per call pair of the default client, and that client's, measured together. */
  emulator: { emulator: number; client: number };
}

function serviceClient(info: ChildInfo, options: JOSETransportOptions): ServiceClient {
  const transport = new JOSETransport(options);
  return new ServiceFactory(info.service.id, info.service.privateKey, { url: info.url, transport }).makeServiceClient();
}

async function measure(bits: number, iterations: number, warmup: number): Promise<Figures> {
  const { child, info } = await startChild(bits);
  try {
    const viaAxios = serviceClient(info, {});
    const viaNode = serviceClient(info, { httpAdapter: 'node' });
    // Captured first: its axios instance with interceptors gives axios' code other shapes to see, and the
    // recompilation that follows belongs in the warm-up, not in the measured pairs.
    const material = await captureMaterial(info);
    for (let i = 0; i < warmup; i++) {
      await measuredPair(viaAxios, info);
      await measuredPair(viaNode, info);
    }
    const clientKey = parseRsaPrivateKey(info.service.privateKey);
    const clientKid = keyId(clientKey);
    const agent = new HttpAgent({ keepAlive: true });
    for (let i = 0; i < warmup; i++) {
      await floorPair(material, clientKey, clientKid);
      await httpFloorPair(agent, info.url, material);
      await realHttpFloorPair(agent, info, material, clientKey, clientKid);
    }
    const sum: Omit<Figures, 'emulator'> = { sdkAxios: 0, sdkNode: 0, floor: 0, http: 0, realHttp: 0 };
    // Each kind of work runs in blocks of BLOCK consecutive pairs, and the blocks take turns (the two adapters
    // alternate which goes first): the garbage a block makes is mostly collected, and counted, within that block,
    // not in the next kind's, and drift in machine load affects every kind alike.
    for (let done = 0; done < iterations; done += BLOCK) {
      const n = Math.min(BLOCK, iterations - done);
      const adapters =
        (done / BLOCK) % 2 === 0 ? (['sdkAxios', 'sdkNode'] as const) : (['sdkNode', 'sdkAxios'] as const);
      for (const which of adapters) {
        const client = which === 'sdkAxios' ? viaAxios : viaNode;
        for (let i = 0; i < n; i++) sum[which] += await measuredPair(client, info);
      }
      for (let i = 0; i < n; i++) sum.floor += await floorPair(material, clientKey, clientKid);
      for (let i = 0; i < n; i++) sum.http += await httpFloorPair(agent, info.url, material);
      for (let i = 0; i < n; i++) sum.realHttp += await realHttpFloorPair(agent, info, material, clientKey, clientKid);
    }
    const emulator = await emulatorShare(viaAxios, info, agent, iterations);
    agent.destroy();
    return {
      emulator,
      sdkAxios: sum.sdkAxios / iterations,
      sdkNode: sum.sdkNode / iterations,
      floor: sum.floor / iterations,
      http: sum.http / iterations,
      realHttp: sum.realHttp / iterations,
    };
  } finally {
    child.stdin?.end();
    await new Promise((r) => child.once('exit', r));
  }
}

/**
 * Runs the benchmark and returns its summary lines: per key size the floors and both adapters, then the ratio of
 * the opt-in node:http adapter, and last the ratio of the default configuration (axios) in the required form.
 */
export async function run(): Promise<string[]> {
  const lines: string[] = [];
  const axiosRatios: string[] = [];
  const nodeRatios: string[] = [];
  const floorRatios: string[] = [];
  const emulatorRatios: string[] = [];
  for (const [bits, iterations, warmup] of [
    [2048, 200, WARMUP_2048],
    [4096, 40, 5],
  ] as const) {
    const { sdkAxios, sdkNode, floor, http, realHttp, emulator } = await measure(bits, iterations, warmup);
    lines.push(
      `sdk-call ${bits}-bit keys: crypto floor ${floor.toFixed(2)} ms CPU per ` +
        `call pair; bare node:http exchanges ${http.toFixed(2)} ms ` +
        `(${iterations} pairs)`,
      `sdk-call ${bits}-bit keys, axios adapter (default): SDK ` +
        `${sdkAxios.toFixed(2)} ms CPU per call pair; rest ` +
        `${(sdkAxios - floor - http).toFixed(2)} ms`,
      `sdk-call ${bits}-bit keys, node http adapter: SDK ` +
        `${sdkNode.toFixed(2)} ms CPU per call pair; rest ` +
        `${(sdkNode - floor - http).toFixed(2)} ms`,
    );
    lines.push(
      `sdk-call ${bits}-bit keys: bare node:http exchanges of the same two calls, answered by the emulator: ` +
        `${realHttp.toFixed(2)} ms CPU per call pair; SDK rest over it: axios (default) ` +
        `${(sdkAxios - floor - realHttp).toFixed(2)} ms, node ${(sdkNode - floor - realHttp).toFixed(2)} ms`,
    );
    const budget = 0.1 * (floor + realHttp);
    lines.push(
      `sdk-call ${bits}-bit keys: the 10 % budget over crypto+http is ${budget.toFixed(2)} ms per call pair; ` +
        `axios' request pipeline alone (default minus node adapter) takes ${(sdkAxios - sdkNode).toFixed(2)} ms`,
    );
    lines.push(
      `sdk-call ${bits}-bit keys: emulator ${emulator.emulator.toFixed(2)} ms CPU per call pair, ` +
        `client (default) ${emulator.client.toFixed(2)} ms`,
    );
    emulatorRatios.push(`${bits}=${(emulator.emulator / emulator.client).toFixed(2)}`);
    floorRatios.push(`${bits}=${(sdkAxios / (floor + realHttp)).toFixed(2)}`);
    axiosRatios.push(`${bits}=${(sdkAxios / floor).toFixed(2)}`);
    nodeRatios.push(`${bits}=${(sdkNode / floor).toFixed(2)}`);
  }
  lines.push(`emulator/client CPU ratio: ${emulatorRatios.join(' ')}`);
  lines.push(`sdk-call/crypto-floor ratio (node http): ${nodeRatios.join(' ')}`);
  lines.push(`sdk-call/crypto-floor ratio: ${axiosRatios.join(' ')}`);
  lines.push(`sdk-call/(crypto+http) ratio: ${floorRatios.join(' ')}`);
  return lines;
}

if (require.main === module) {
  void run().then((lines) => lines.forEach((l) => console.log(l)));
}
