/**
 * The harness of the adversarial security tests (test/strategy/security-*.test.ts): each test is an attack against a
 * real app (Express + express-session + Passport) talking to the emulator over loopback, through a small HTTP proxy
 * that counts the API calls and can take the API down, tamper with its answers or replay them. Webhooks are
 * captured by a sink (never delivered to the app by the emulator) and then delivered by the test, as an attacker on
 * the path would. The proxy is hand-written because it must corrupt and replay answer bytes, which proxy libraries
 * do not do.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request, Response } from 'express';
import { MemoryStore, type LoginResult, type PendingLogin } from 'passport-truvalidate';
import type { Emulator } from 'passport-truvalidate/emulator';
import { DirectoryFactory } from 'passport-truvalidate/sdk';
import { buildTestApp, listenTestApp, type TestApp, type TestAppOptions, type TestUser } from './app';
import { emulatorWithUsers, type Phone } from './emulator';

export const WEBHOOK_PATH = '/webhooks/truvalidate';

// ---------------------------------------------------------------------------------------------------------------
// The API proxy: counts calls, can refuse them (API down), tamper with or replay answers.

export interface CapturedAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export class ApiProxy {
  /** `METHOD path` of every call that reached the proxy, oldest first. */
  readonly calls: string[] = [];
  /** 'pass': forward; 'down': reset the connection; 'tamper': flip a byte of every 200 auths answer body. */
  mode: 'pass' | 'down' | 'tamper' = 'pass';
  /** When set, a GET of `to` is answered with the captured answer of `from` (a replayed API answer). */
  replay: { from: string; to: string } | null = null;
  private readonly captured = new Map<string, CapturedAnswer>();
  private server: http.Server | null = null;
  url = '';

  constructor(private readonly target: string) {}

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  count(prefix: string): number {
    return this.calls.filter((c) => c.startsWith(prefix)).length;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0] as string;
    const key = `${req.method ?? 'GET'} ${path}`;
    this.calls.push(key);
    if (this.mode === 'down') {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (this.replay && key === `GET ${this.replay.to}`) {
        const old = this.captured.get(`GET ${this.replay.from}`);
        if (old) {
          res.writeHead(old.status, old.headers).end(old.body);
          return;
        }
      }
      const forward = http.request(
        `${this.target}${req.url ?? '/'}`,
        { method: req.method, headers: req.headers },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (c: Buffer) => body.push(c));
          answer.on('end', () => {
            let bytes = Buffer.concat(body);
            const status = answer.statusCode ?? 502;
            if (status === 200 && key.startsWith('GET /service/v3/auths/')) {
              this.captured.set(key, { status, headers: answer.headers, body: bytes });
              if (this.mode === 'tamper' && bytes.length > 10) {
                bytes = Buffer.from(bytes);
                const i = bytes.length - 5;
                bytes[i] = (bytes[i] as number) === 0x41 ? 0x42 : 0x41;
              }
            }
            res.writeHead(status, answer.headers).end(bytes);
          });
        },
      );
      forward.on('error', () => res.writeHead(502).end());
      forward.end(Buffer.concat(chunks));
    });
  }

  close(): Promise<void> {
    return new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The webhook sink: the service callback URL during most tests. It keeps each webhook and answers 204, so that
// the app only gets what a test delivers.

export interface CapturedWebhook {
  headers: Record<string, string>;
  body: Buffer;
}

export class WebhookSink {
  readonly received: CapturedWebhook[] = [];
  private server: http.Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers: Record<string, string> = {};
        for (const name of ['content-type', 'x-iov-jwt']) {
          const v = req.headers[name];
          if (typeof v === 'string') headers[name] = v;
        }
        this.received.push({ headers, body: Buffer.concat(chunks) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${WEBHOOK_PATH}`;
  }

  last(): CapturedWebhook {
    const w = this.received[this.received.length - 1];
    assert.ok(w, 'a webhook was captured');
    return w;
  }

  close(): Promise<void> {
    return new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// A store whose chosen operations fail (a store that is down), delegating to a real MemoryStore otherwise.

export type StoreOp = 'getPending' | 'consumePending' | 'getResult' | 'loggedOutAt' | 'claimPoll' | 'markLoggedOut';

export class BrokenStore extends MemoryStore {
  readonly down = new Set<StoreOp>();

  private check(op: StoreOp): void {
    if (this.down.has(op)) throw new Error(`store down (${op})`);
  }

  override async getPending(id: string): Promise<PendingLogin | null> {
    this.check('getPending');
    return super.getPending(id);
  }

  override async consumePending(id: string): Promise<PendingLogin | null> {
    this.check('consumePending');
    return super.consumePending(id);
  }

  override async getResult(id: string): Promise<LoginResult | null> {
    this.check('getResult');
    return super.getResult(id);
  }

  override async loggedOutAt(hash: string): Promise<number | null> {
    this.check('loggedOutAt');
    return super.loggedOutAt(hash);
  }

  override async claimPoll(id: string, intervalMs: number, now: number): Promise<boolean> {
    this.check('claimPoll');
    return super.claimPoll(id, intervalMs, now);
  }

  override async markLoggedOut(hash: string, at: number, ttlMs: number): Promise<void> {
    this.check('markLoggedOut');
    return super.markLoggedOut(hash, at, ttlMs);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Apps: the shared test app (helpers/app.ts) plus a catch-all that stores `returnTo`, as connect-ensure-login does.

export interface ReviewApp extends TestApp {
  verifyCalls: number;
}

export async function startReviewApp(options: Omit<TestAppOptions, 'verify'>): Promise<ReviewApp> {
  const holder = { verifyCalls: 0 };
  const built = buildTestApp({
    ...options,
    verify: async (username, profile) => {
      holder.verifyCalls += 1;
      return { username, method: profile.method, serviceUserHash: profile.serviceUserHash } satisfies TestUser;
    },
  });
  const { app } = built;
  // After the shared routes (which include `/login/pending` and `/login/cancel`): like connect-ensure-login on
  // every other path, remember where the user wanted to go and ask to log in.
  app.use((req: Request, res: Response) => {
    (req.session as unknown as Record<string, unknown>)['returnTo'] = req.originalUrl;
    res.status(401).json({ error: 'log in first' });
  });
  const listening = await listenTestApp(built, options);
  const result: ReviewApp = {
    ...listening,
    get verifyCalls() {
      return holder.verifyCalls;
    },
  };
  return result;
}

/** Delivers a captured webhook to `origin` at `path` (default: the signed path), with extra headers. */
export function deliver(
  origin: string,
  webhook: CapturedWebhook,
  options: { path?: string; method?: string; body?: Buffer; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = options.body ?? webhook.body;
    const req = http.request(
      `${origin}${options.path ?? WEBHOOK_PATH}`,
      {
        method: options.method ?? 'POST',
        headers: { ...webhook.headers, 'content-length': String(body.length), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export function jwtClaims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

export const USERS = [
  'amy',
  'ben',
  'cat',
  'dan',
  'eve',
  'fay',
  'gus',
  'hal',
  'ida',
  'jon',
  'kay',
  'lee',
  'max',
  'ned',
  'oli',
  'pam',
  'Quinn',
  'ray',
  'sue',
  'tom',
  'uma',
  'vic',
  'wes',
  'xia',
  'yan',
  'zoe',
  'ann',
  'abe',
];

/** What a security test works with, started once per file by {@link ReviewHarness.start}. */
export interface ReviewContext {
  emulator: Emulator;
  phone: Phone;
  proxy: ApiProxy;
  sink: WebhookSink;
  /** The main app: API through the proxy, a {@link BrokenStore}, `pollIntervalMs` 50. */
  app: ReviewApp;
  store: BrokenStore;
}

/**
 * Starts the emulator (with {@link USERS} linked, `tom` with TOTP), the proxy, the sink (the service callback URL)
 * and the main app; `extraApp` starts more apps closed with the rest.
 */
export class ReviewHarness {
  private ctx: ReviewContext | null = null;
  private readonly apps: ReviewApp[] = [];

  async start(): Promise<ReviewContext> {
    const { emulator, phone } = await emulatorWithUsers(USERS);
    const proxy = new ApiProxy(emulator.url);
    await proxy.start();
    const sink = new WebhookSink();
    await sink.start();
    emulator.setServiceCallbackUrl(emulator.service.id, sink.url);
    const store = new BrokenStore();
    const app = await startReviewApp({
      apiUrl: proxy.url,
      service: emulator.service,
      store,
      strategyOptions: { pollIntervalMs: 50 },
    });
    const directory = new DirectoryFactory(emulator.directory.id, emulator.directory.privateKey, {
      url: emulator.url,
    }).makeDirectoryClient();
    await directory.generateUserTotp('tom');
    this.ctx = { emulator, phone, proxy, sink, app, store };
    return this.ctx;
  }

  /** Another app on the same emulator, through the proxy (closed by {@link close}). */
  async extraApp(options: Partial<Omit<TestAppOptions, 'verify'>> = {}): Promise<ReviewApp> {
    const ctx = this.context();
    const a = await startReviewApp({ apiUrl: ctx.proxy.url, service: ctx.emulator.service, ...options });
    this.apps.push(a);
    return a;
  }

  /** The device's sessions of `user` once it lists one (sessionStart runs in the background after a login). */
  sessionListed(user: string): ReturnType<Phone['sessionsOf']> {
    const { phone } = this.context();
    return phone.sessionListed(user);
  }

  async close(): Promise<void> {
    for (const a of this.apps) await a.close();
    const ctx = this.ctx;
    if (!ctx) return;
    await ctx.app.close();
    await ctx.store.close();
    await ctx.sink.close();
    await ctx.proxy.close();
    await ctx.emulator.close();
  }

  private context(): ReviewContext {
    assert.ok(this.ctx, 'the review harness is started');
    return this.ctx;
  }
}
