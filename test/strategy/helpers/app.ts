/**
 * The test app of the strategy: Express + express-session + Passport + TruValidateStrategy, parameterised by the
 * strategy's store (memory or Redis) and options, so that the Redis tests can reuse it. It mounts, in the
 * documented order: the webhook route (before body parsers), body parsers, sessions, Passport, the session guard,
 * then the routes below. Every answer is JSON.
 *
 * - `POST /login`: `passport.authenticate('truvalidate')` with a custom callback (JSON answers)
 * - `POST /login-redirect`: `passport.authenticate('truvalidate', { successReturnToOrRedirect: '/me',
 *   failureRedirect: '/login-failed', pendingRedirect: '/wait' })` (the browser form flow)
 * - `GET /login/status`: `strategy.status({ timeoutMs: 5000 })`
 * - `GET /login/pending`: `{ pending: strategy.pendingLogin(req) }`; `POST /login/cancel`: `{ canceled:
 * strategy.cancel(req) }`
 * - `GET /me`: 200 `{ user, login }` or 401; `GET /protected`: sets `returnTo` then 401
 * - `POST /logout`: `req.logout()` then 204
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import passport from 'passport';
import {
  MemoryStore,
  TruValidateStrategy,
  type TruValidateStore,
  type TruValidateStrategyOptionsBase,
  type TruValidateProfile,
} from 'passport-truvalidate';
import type { VerifyFunction, VerifyFunctionWithRequest, VerifyPromise } from 'passport-truvalidate';
import { ServiceFactory, type ServiceClient } from 'passport-truvalidate/sdk';
import { TEST_SESSION_OPTIONS } from './session-options';

/** The user object the default verify gives (and that `/me` shows). */
export interface TestUser {
  username: string;
  method: TruValidateProfile['method'];
  serviceUserHash: string | null;
  via?: string;
}

/** Options of {@link buildTestApp}. */
export interface TestAppOptions {
  /** API URL and service credentials (the emulator's). */
  apiUrl: string;
  service: { id: string; privateKey: string };
  /** The strategy's store. Default: a new MemoryStore. */
  store?: TruValidateStore;
  /** express-session's store (share one between instances). Default: a new session MemoryStore. */
  sessionStore?: session.Store;
  /** A ServiceClient to use instead of building one (e.g. to count calls). */
  client?: ServiceClient;
  /** Extra strategy options (pushLimit, ttl, pollIntervalMs...). */
  strategyOptions?: Partial<TruValidateStrategyOptionsBase>;
  /** Verify; default: a promise verify giving a {@link TestUser}. */
  verify?: VerifyFunction;
  /** Verify with the request; sets `passReqToCallback`. */
  verifyWithRequest?: VerifyFunctionWithRequest;
  /** Collects the strategy's logged non-fatal errors. */
  logs?: string[];
  /**
   * The Passport instance to mount (e.g. one of Passport 0.6: `new (require('passport-06').Passport)()`).
   * Default: a new instance of the installed Passport.
   */
  passport?: InstanceType<typeof passport.Passport>;
}

/** A built app. */
export interface BuiltTestApp {
  app: express.Express;
  strategy: TruValidateStrategy;
  store: TruValidateStore;
  client: ServiceClient;
}

/** The default verify: a promise verify that accepts everyone. */
export const acceptEveryone: VerifyPromise = async (username, profile) =>
  ({ username, method: profile.method, serviceUserHash: profile.serviceUserHash }) satisfies TestUser;

/** Builds the app (does not listen). */
export function buildTestApp(options: TestAppOptions): BuiltTestApp {
  const client =
    options.client ??
    new ServiceFactory(options.service.id, options.service.privateKey, { url: options.apiUrl }).makeServiceClient();
  const store = options.store ?? new MemoryStore();
  const logs = options.logs;
  // Every test client is 127.0.0.1: the per-client limit is off unless a test sets it (tests of it do).
  const base = {
    clientLimit: false as const,
    ...options.strategyOptions,
    client,
    store,
    logger: (m: string, e?: unknown) => logs?.push(`${m}${e instanceof Error ? `: ${e.message}` : ''}`),
  };
  const strategy = options.verifyWithRequest
    ? new TruValidateStrategy({ ...base, passReqToCallback: true }, options.verifyWithRequest)
    : new TruValidateStrategy({ ...base, passReqToCallback: false }, options.verify ?? acceptEveryone);

  const auth = options.passport ?? new passport.Passport();
  auth.use(strategy);
  auth.serializeUser((user, done) => done(null, user));
  auth.deserializeUser((user: Express.User, done) => done(null, user));

  const app = express();
  app.all('/webhooks/truvalidate', strategy.webhook()); // every method: a GET is answered 405 + Allow: POST
  app.use(express.json());
  app.use(express.urlencoded({ extended: false }));
  app.use(session({ ...TEST_SESSION_OPTIONS, store: options.sessionStore ?? new session.MemoryStore() }));
  app.use(auth.initialize());
  app.use(auth.session());
  app.use(strategy.sessionGuard());

  app.post('/login', (req: Request, res: Response, next: NextFunction) => {
    auth.authenticate(
      'truvalidate',
      (
        err: unknown,
        user: Express.User | false,
        info: Record<string, unknown> | undefined,
        status: number | undefined,
      ) => {
        if (err) return next(err);
        if (!user) return res.status(status ?? 401).json({ ...(info ?? {}), status: info?.['status'] ?? 'failed' });
        req.logIn(user, (loginErr) => (loginErr ? next(loginErr) : res.json({ status: 'authorized', user })));
      },
    )(req, res, next);
  });
  app.post(
    '/login-redirect',
    auth.authenticate('truvalidate', {
      successReturnToOrRedirect: '/me',
      failureRedirect: '/login-failed',
      pendingRedirect: '/wait',
    } as passport.AuthenticateOptions),
  );
  app.get('/login/status', strategy.status({ timeoutMs: 5000 }));
  app.get('/login/pending', async (req, res) => {
    res.json({ pending: await strategy.pendingLogin(req) });
  });
  app.post('/login/cancel', async (req, res) => {
    res.json({ canceled: await strategy.cancel(req) });
  });
  app.get('/me', (req, res) => {
    if (!req.user) return res.status(401).json({ error: 'not logged in' });
    res.json({ user: req.user, login: (req.session as unknown as Record<string, unknown>)['truvalidate'] ?? null });
  });
  app.get('/protected', (req, res) => {
    (req.session as unknown as Record<string, unknown>)['returnTo'] = '/protected';
    res.status(401).json({ error: 'log in first' });
  });
  app.post('/logout', (req, res, next) => {
    req.logout((err) => (err ? next(err) : res.status(204).end()));
  });
  app.use((err: Error & { status?: number; code?: string }, _req: Request, res: Response, _next: NextFunction) => {
    void _next;
    res.status(err.status ?? 500).json({ error: err.message, code: err.code ?? null });
  });
  return { app, strategy, store, client };
}

/** A listening test app. */
export interface TestApp extends BuiltTestApp {
  url: string;
  /** The service callback URL of this app. */
  webhookUrl: string;
  close(): Promise<void>;
}

/** Builds and listens on 127.0.0.1 (free port). `close()` stops the server and the strategy (not a given store). */
export async function startTestApp(options: TestAppOptions): Promise<TestApp> {
  return listenTestApp(buildTestApp(options), options);
}

/**
 * Listens with a built app (e.g. one given more routes after {@link buildTestApp}) on 127.0.0.1 (free port).
 * `close()` stops the server and the strategy, and closes the store unless `options` gave one.
 */
export async function listenTestApp(built: BuiltTestApp, options: Pick<TestAppOptions, 'store'>): Promise<TestApp> {
  const server = http.createServer(built.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ...built,
    url,
    webhookUrl: `${url}/webhooks/truvalidate`,
    async close() {
      await built.strategy.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (!options.store) await built.store.close();
    },
  };
}
