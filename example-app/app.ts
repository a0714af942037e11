import express, { type Express } from 'express';
import session from 'express-session';
import passport from 'passport';
import { MemoryStore, TruValidateStrategy, type TruValidateStore } from 'passport-truvalidate';
import { DirectoryFactory, ServiceFactory } from 'passport-truvalidate/sdk';
import type { AppDeps } from './deps';
import { DENIAL_REASONS } from './denial-reasons';
import { errorHandler } from './errors';
import { setNotice } from './http';
import { LinkTracker } from './link-tracker';
import { deviceRoutes } from './routes/devices';
import { directoryWebhookRoutes } from './routes/directory-webhook';
import { loginRoutes, verifyLogin } from './routes/login';
import { pageRoutes } from './routes/pages';
import { signupRoutes } from './routes/signup';
import { totpRoutes } from './routes/totp';
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
  /** The strategy's store and the session store; default: memory for both (see `stores.ts`). */
  stores?: { store: TruValidateStore; sessionStore: session.Store };
  /** URL of the emulator's device simulator page, shown in the pages; null against the real API. */
  simulatorUrl?: string | null;
  /** Validity of a login push in seconds (default 300). */
  loginTtlSeconds?: number;
  /** Validity of a device linking code in seconds (default 300). */
  linkTtlSeconds?: number;
  /** Push limit per username (default 5 a minute). */
  pushLimit?: { max: number; windowMs: number };
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
  const serviceClient = new ServiceFactory(config.service.id, config.service.privateKey, { url: config.apiUrl })
    .makeServiceClient();
  const directoryClient = config.directory
    ? new DirectoryFactory(config.directory.id, config.directory.privateKey, { url: config.apiUrl })
      .makeDirectoryClient()
    : null;
  const store = config.stores?.store ?? new MemoryStore();
  const sessionStore = config.stores?.sessionStore ?? new session.MemoryStore();
  const deps: AppDeps = {
    serviceClient,
    directoryClient,
    linkTracker: new LinkTracker(),
    simulatorUrl: config.simulatorUrl ?? null,
    linkTtlSeconds: config.linkTtlSeconds ?? 300,
    totpIssuer: 'TruValidate example',
    log,
  };

  const strategy = new TruValidateStrategy({
    client: serviceClient,
    store,
    pendingRedirect: '/login/wait',
    ttl: config.loginTtlSeconds ?? 300,
    title: 'Log in to the TruValidate example',
    context: (req) => `Login from ${req.ip ?? 'a browser'} at ${new Date().toISOString()}`,
    denialReasons: [...DENIAL_REASONS],
    pushLimit: config.pushLimit ?? { max: 5, windowMs: 60_000 },
  }, verifyLogin);

  // One Passport instance per app, so several apps (tests) in one process do not share strategies.
  const auth = new passport.Passport();
  auth.use(strategy);
  auth.serializeUser((user, done) => done(null, user));
  auth.deserializeUser((user: HomeUser, done) => done(null, user));

  const app = express();
  app.disable('x-powered-by');
  // The webhooks read the raw body themselves: mount them before the body parsers.
  app.post('/webhooks/truvalidate', strategy.webhook());
  app.use(directoryWebhookRoutes(deps));

  app.use(express.json({ limit: '16kb' }));
  app.use(express.urlencoded({ extended: false, limit: '16kb' }));
  app.use(session({
    name: 'example.sid',
    secret: config.sessionSecret,
    store: sessionStore,
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax' },
  }));
  app.use(auth.initialize());
  app.use(auth.session());
  app.use(strategy.sessionGuard({
    onRemoteLogout: (req) => setNotice(req, 'You were logged out from your phone.'),
  }));

  app.use(pageRoutes(deps));
  app.use(signupRoutes(deps));
  app.use(loginRoutes(deps, auth, strategy));
  app.use(deviceRoutes(deps));
  app.use(totpRoutes(deps));
  app.use(errorHandler(deps.simulatorUrl, log));
  return app;
}
