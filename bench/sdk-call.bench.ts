/**
 * Client-side CPU cost of an SDK call pair against the emulator (authorizationRequest + one
 * getAdvancedAuthorizationResponse after approval) compared with the raw crypto floor of the same work: the same
 * sign, encrypt, verify and decrypt operations alone, with the same keys, through the shared primitives.
 * The emulator runs in a child process so that its CPU is not counted; the client CPU is measured with
 * `process.cpuUsage()` deltas around the SDK calls only. Prints `sdk-call/crypto-floor ratio: 2048=R1 4096=R2`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import axios, { type AxiosInstance } from 'axios';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { JOSETransport, ServiceFactory, type ServiceClient } from '../lib/sdk';
import { decryptJwe, encryptJwe, signJwt, verifyJwt } from '../lib/sdk/transport/jose-primitives';
import { keyId, parseRsaPrivateKey, parseRsaPublicKey } from '../lib/sdk/transport/keys';

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
    const req = httpRequest(`${url}/_emulator/auths/${id}/respond`, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`approve failed: ${res.statusCode}`))));
    });
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
      requests.push({ method: String(config.method).toUpperCase(), path: new URL(String(config.url)).pathname, headers, body: config.data as string | undefined });
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
  const client = new ServiceFactory(info.service.id, info.service.privateKey, { url: info.url, transport }).makeServiceClient();
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

async function measure(bits: number, iterations: number): Promise<{ sdk: number; floor: number; http: number }> {
  const { child, info } = await startChild(bits);
  try {
    const client = new ServiceFactory(info.service.id, info.service.privateKey, { url: info.url }).makeServiceClient();
    for (let i = 0; i < 3; i++) await measuredPair(client, info);
    const material = await captureMaterial(info);
    const clientKey = parseRsaPrivateKey(info.service.privateKey);
    const clientKid = keyId(clientKey);
    const agent = new HttpAgent({ keepAlive: true });
    for (let i = 0; i < 3; i++) {
      await floorPair(material, clientKey, clientKid);
      await httpFloorPair(agent, info.url, material);
    }
    let sdk = 0;
    let floor = 0;
    let http = 0;
    // Interleave the measurements so that drift in machine load affects them alike.
    for (let i = 0; i < iterations; i++) {
      sdk += await measuredPair(client, info);
      floor += await floorPair(material, clientKey, clientKid);
      http += await httpFloorPair(agent, info.url, material);
    }
    agent.destroy();
    return { sdk: sdk / iterations, floor: floor / iterations, http: http / iterations };
  } finally {
    child.stdin?.end();
    await new Promise((r) => child.once('exit', r));
  }
}

/** Runs the benchmark and returns its summary lines (the ratio line last). */
export async function run(): Promise<string[]> {
  const lines: string[] = [];
  const ratios: string[] = [];
  for (const [bits, iterations] of [
    [2048, 40],
    [4096, 15],
  ] as const) {
    const { sdk, floor, http } = await measure(bits, iterations);
    const ratio = sdk / floor;
    lines.push(
      `sdk-call ${bits}-bit keys: SDK ${sdk.toFixed(2)} ms CPU per call pair; crypto floor ${floor.toFixed(2)} ms; ` +
        `bare node:http exchanges ${http.toFixed(2)} ms; rest ${(sdk - floor - http).toFixed(2)} ms (${iterations} pairs)`,
    );
    ratios.push(`${bits}=${ratio.toFixed(2)}`);
  }
  lines.push(`sdk-call/crypto-floor ratio: ${ratios.join(' ')}`);
  return lines;
}

if (require.main === module) {
  void run().then((lines) => lines.forEach((l) => console.log(l)));
}
