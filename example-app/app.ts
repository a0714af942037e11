import express, { type Express } from 'express';
import session from 'express-session';
import passport from 'passport';
import { caselessUsername, MemoryStore, TruValidateStrategy, type TruValidateStore } from 'passport-truvalidate';
import { DirectoryFactory, ServiceFactory } from 'passport-truvalidate/sdk';
import { FileAccountStore, type AccountStore } from './accounts';
import type { AppDeps } from './deps';
import { DENIAL_REASONS } from './denial-reasons';
import { explainEventWithDirectory } from './dev-events';
import { errorHandler } from './errors';
import { setNotice } from './http';
import { LinkTracker } from './link-tracker';
import { accountRoutes } from './routes/account';
import { assetRoutes } from './routes/assets';
import { deviceRoutes } from './routes/devices';
import { directoryWebhookRoutes } from './routes/directory-webhook';
import { loginRoutes, makeVerifyLogin } from './routes/login';
import { notFound, pageRoutes } from './routes/pages';
import { signupRoutes } from './routes/signup';
import { totpRoutes } from './routes/totp';
import { noStore, securityHeaders } from './security-headers';
import { boundedSessionStore } from './stores';
import type { HomeUser } from './views/home';

/** Configuration of {@link createApp}. */
export interface ExampleAppConfig {
  /** TruValidate API base URL (the emulator's `url`). */
  apiUrl: string;
  /** The service users log in to. */
  service: { id: string; privateKey: string };
  /** The directory users belong to (sign up, devices, TOTP setup); null disables those pages. */
  directory?: { id: string; privateKey: string } | null;
  /** Secret signing the session cookie. */
  sessionSecret: string;
  /**
   * The strategy's store, the session store and the accounts; default: memory for all three (a bounded session
   * store, see `stores.ts`).
   */
  stores?: { store: TruValidateStore; sessionStore: session.Store; accounts?: AccountStore };
  /**
   * The app's public URL (`APP_URL`). When it is https, the session cookie is `Secure` and HSTS is sent; behind a
   * TLS proxy set {@link ExampleAppConfig.trustProxy} too. Default: http (the local walkthrough).
   */
  appUrl?: string;
  /** Express's `trust proxy` setting (`TRUST_PROXY`; e.g. 1 behind one TLS proxy). Default: false. */
  trustProxy?: boolean | number | string;
  /** URL of the emulator's device simulator page, shown in the pages; null against the real API. */
  simulatorUrl?: string | null;
  /** Validity of a login push in seconds (default 300). */
  loginTtlSeconds?: number;
  /** Validity of a device linking code in seconds (default 300). */
  linkTtlSeconds?: number;
  /** Push limit per username (default 5 a minute). */
  pushLimit?: { max: number; windowMs: number };
  /** Limit per client IP on login starts and TOTP attempts (default: the strategy's, 30 a minute). */
  clientLimit?: { max: number; windowMs: number } | false;
  /**
   * Where, in emulator mode (`simulatorUrl` set), the app explains why no push went out (unknown user, no linked
   * device, a limit, a cross-site refusal). Default `console.log`. Never used without the emulator.
   */
  devLog?: (line: string) => void;
  /** Where unexpected errors are logged (default `console.error`). */
  log?: (line: string) => void;
}

/**
 * Builds the example Express app: sessions, Passport with {@link TruValidateStrategy}, the webhook routes and
 * the pages of README.md ("Try it: the example app"). Every route answers JSON for `Accept: application/json` and HTML
 * otherwise; bodies may be JSON or form-encoded. It does not listen: `main.ts` and the tests do.
 */
export function createApp(config: ExampleAppConfig): Express {
  const log = config.log ?? ((line: string) => console.error(line));
  const serviceClient = new ServiceFactory(config.service.id, config.service.privateKey, {
    url: config.apiUrl,
  }).makeServiceClient();
  const directoryClient = config.directory
    ? new DirectoryFactory(config.directory.id, config.directory.privateKey, {
        url: config.apiUrl,
      }).makeDirectoryClient()
    : null;
  const store = config.stores?.store ?? new MemoryStore();
  const sessionStore = config.stores?.sessionStore ?? boundedSessionStore();
  const https = (config.appUrl ?? '').startsWith('https:');
  const accounts = config.stores?.accounts ?? new FileAccountStore();
  const simulatorUrl = config.simulatorUrl ?? null;
  const devLog = simulatorUrl ? (config.devLog ?? ((line: string) => console.log(line))) : null;

  const strategy = new TruValidateStrategy(
    {
      client: serviceClient,
      store,
      pendingRedirect: '/login/wait',
      ttl: config.loginTtlSeconds ?? 300,
      title: 'Log in to the TruValidate example',
      context: (req) => `Login from ${req.ip ?? 'a browser'} at ${new Date().toISOString()}`,
      denialReasons: [...DENIAL_REASONS],
      pushLimit: config.pushLimit ?? { max: 5, windowMs: 60_000 },
      ...(config.clientLimit === undefined ? {} : { clientLimit: config.clientLimit }),
      // One account per name whatever its case: the same function in sign-up, devices and TOTP (deps below).
      normalizeUsername: caselessUsername,
      ...(devLog
        ? {
            onEvent: (event) => {
              void explainEventWithDirectory(event, directoryClient).then((line) => {
                if (line) devLog(`[example app] ${line}`);
              });
            },
          }
        : {}),
    },
    makeVerifyLogin({ accounts }),
  );

  const deps: AppDeps = {
    serviceClient,
    directoryClient,
    accounts,
    normalizeUsername: (raw) => strategy.normalizeUsername(raw),
    linkTracker: new LinkTracker(),
    simulatorUrl,
    linkTtlSeconds: config.linkTtlSeconds ?? 300,
    totpIssuer: 'TruValidate example',
    log,
  };

  // One Passport instance per app, so several apps (tests) in one process do not share strategies.
  const auth = new passport.Passport();
  auth.use(strategy);
  auth.serializeUser((user, done) => done(null, user));
  auth.deserializeUser((user: HomeUser, done) => done(null, user));

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy ?? false);
  app.use(securityHeaders(https), noStore);
  app.use(assetRoutes());
  // The webhooks read the raw body themselves: mount them before the body parsers.
  // app.all, so that other methods reach the handler and get its 405 with `Allow: POST`.
  app.all('/webhooks/truvalidate', strategy.webhook());
  // Readiness probe: can this instance reach the TruValidate API? 200 or 503 with { ok, apiTime, latencyMs, ... }.
  app.get('/healthz', async (_req, res) => {
    const health = await strategy.healthCheck();
    res.status(health.ok ? 200 : 503).json(health);
  });
  app.use(directoryWebhookRoutes(deps));
  // Login CSRF and its kin: every state-changing request from another site's page is refused (403), with the
  // strategy's rule (Sec-Fetch-Site, Origin; curl and server-to-server requests have neither and pass).
  app.use(strategy.crossSiteGuard());

  app.use(express.json({ limit: '16kb' }));
  app.use(express.urlencoded({ extended: false, limit: '16kb' }));
  app.use(
    session({
      name: 'example.sid',
      secret: config.sessionSecret,
      store: sessionStore,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: https },
    }),
  );
  app.use(auth.initialize());
  app.use(auth.session());
  app.use(
    strategy.sessionGuard({
      onRemoteLogout: (req) => setNotice(req, 'You were logged out from your phone.'),
    }),
  );

  app.use(pageRoutes(deps));
  app.use(signupRoutes(deps));
  app.use(loginRoutes(deps, auth, strategy));
  app.use(deviceRoutes(deps));
  app.use(totpRoutes(deps));
  app.use(accountRoutes(deps));
  app.use(notFound(deps));
  app.use(errorHandler(deps.simulatorUrl, log));
  return app;
}
