/** Options of {@link TruValidateStrategy}: their types, defaults and validation at construction. */
import type { Request } from 'express';
import { ServiceClient } from '../sdk/clients/service-client';
import type { AuthorizationRequestOptions } from '../sdk/clients/service-client';
import { DenialReason } from '../sdk/entities/service';
import { ServiceFactory } from '../sdk/factories/service-factory';
import { AuthPolicy } from '../sdk/policies';
import { crossSiteRule, type CrossSiteRule } from './cross-site';
import { TruValidateStrategyError, invalidOption, positiveIntegerOption } from './errors';
import type { TruValidateEventListener } from './events';
import { trimUsername } from './username';
import { MemoryStore } from './stores/memory';
import type { TruValidateStore } from './stores/store';

/** A value, or a function of the request giving it (possibly async). */
export type RequestValue<T> = T | ((req: Request) => T | Promise<T>);

/** A limit per username: at most `max` attempts (pushes, or TOTP codes) in a fixed window of `windowMs`. */
export interface PushLimit {
  /** Most attempts allowed in one window (a positive integer). */
  max: number;
  /** Length of the window (ms, a positive integer); it starts at the first attempt. */
  windowMs: number;
}

/** Options shared by both forms of {@link TruValidateStrategy}'s constructor. */
export interface TruValidateStrategyOptionsBase {
  /** The ServiceClient to use. Either this, or `serviceId` + `privateKey` (+ `apiUrl`) to build one. */
  client?: ServiceClient;
  /** Service id (UUID), when `client` is not given. */
  serviceId?: string;
  /** PEM RSA private key of the service (signs requests, decrypts answers), when `client` is not given. */
  privateKey?: string;
  /** Extra decryption-only PEM keys (key rotation), when `client` is not given. Default: none. */
  encryptionKeys?: string[];
  /** API base URL, when `client` is not given. Default: the SDK's default (`https://api.launchkey.com`). */
  apiUrl?: string;
  /**
   * The strategy's name in Passport (`passport.authenticate(name)`), so that two configured instances can coexist
   * (e.g. a login and a step-up). Default: `'truvalidate'`.
   */
  name?: string;
  /** The key of the strategy's data in `req.session` (give each instance its own). Default: `'truvalidate'`. */
  sessionKey?: string;
  /**
   * Where the username comes from, for step-up MFA after another strategy logged the user in: a function of the
   * request, e.g. `(req) => req.user?.username`. When set, the body's `usernameField` is never read; a request
   * whose session waits for a login (and has no OTP) checks that login instead of starting another one; an
   * undefined or empty result reads as no username. Default: none (the body's `usernameField`).
   */
  username?: (req: Request) => string | undefined | Promise<string | undefined>;
  /**
   * Name of the body field with the username (the directory user identifier; the query string is never read). Default:
   * `'username'`.
   */
  usernameField?: string;
  /**
   * Turns the username as typed (or as `username(req)` gives it) into the form used everywhere: the push, TOTP,
   * the limits, store keys, decoys and the API call. Default: trim surrounding whitespace only — the user
   * identifiers of an existing directory may be case-sensitive, so the library does not fold case by default; use
   * `caselessUsername` (trim, NFC, lower case) when your identifiers are case-insensitive, and the same function
   * (`strategy.normalizeUsername`) wherever you create users.
   */
  normalizeUsername?: (raw: string) => string;
  /** Name of the body field with a TOTP code; when present, the login uses TOTP instead of a push. Default: `'otp'`. */
  otpField?: string;
  /** Policy of the authorization request (an SDK `AuthPolicy`). Default: none (the service policy applies). */
  policy?: RequestValue<AuthPolicy | undefined>;
  /** Text shown on the device (up to 400 characters). Default: none. */
  context?: RequestValue<string | undefined>;
  /** Title shown on the device (up to 200 characters). Default: none. */
  title?: RequestValue<string | undefined>;
  /** Lifetime of the authorization request in seconds. Default: 300 (the API's default). */
  ttl?: RequestValue<number | undefined>;
  /** Push notification title. Default: none. */
  pushTitle?: RequestValue<string | undefined>;
  /** Push notification body. Default: none. */
  pushBody?: RequestValue<string | undefined>;
  /** Denial reasons offered on the device (SDK `DenialReason`s). Default: none (the API's defaults). */
  denialReasons?: RequestValue<DenialReason[] | undefined>;
  /**
   * Where pending logins, results, the webhook replay cache and logout markers live. Default: a new `MemoryStore()`.
   */
  store?: TruValidateStore;
  /**
   * URL to redirect non-JSON clients to while a login is pending (the waiting page). Default: none (every client
   * gets the 202 JSON answer).
   */
  pendingRedirect?: string;
  /**
   * At most one API poll per pending login per this interval (ms), however many browser polls arrive. Default: 1000.
   */
  pollIntervalMs?: number;
  /**
   * Push limit per username; over it, a start sends nothing and fails with 429 (`reason: 'rate_limited'`,
   * `retryAfter`, a `Retry-After` header), the same answer for a known and an unknown username. `false` disables
   * it. Default: `{ max: 5, windowMs: 60000 }`.
   */
  pushLimit?: PushLimit | false;
  /**
   * TOTP attempt limit per username (its own counter, stricter than the push limit: a code is guessable); over
   * it, every code, even a valid one, is answered like a wrong one. `false` disables it.
   * Default: `{ max: 5, windowMs: 300000 }`.
   */
  totpLimit?: PushLimit | false;
  /**
   * Limit per client (`req.ip`, which honours Express `trust proxy`) on login starts and TOTP attempts, whatever
   * the username; over it the answer is 429 with `Retry-After`. `false` disables it.
   * Default: `{ max: 30, windowMs: 60000 }`.
   */
  clientLimit?: PushLimit | false;
  /** How long a remote-logout marker (phone logout) is kept (ms); set it to your session lifetime. Default: 7 days. */
  logoutMarkerTtlMs?: number;
  /** Receives non-fatal errors (e.g. a failed `sessionEnd` on logout). Default: `process.emitWarning`. */
  logger?: (message: string, error?: unknown) => void;
  /**
   * Origins (`scheme://host[:port]`) whose browser requests may start or complete a login (login CSRF defence).
   * Default: the request's own origin, `req.protocol://host`, honouring Express `trust proxy`. When given, the
   * list replaces the default: list the app's public origin(s).
   */
  allowedOrigins?: string[];
  /**
   * Accept browser requests with `Sec-Fetch-Site: same-site` (a sibling subdomain; its `Origin` must still be in
   * `allowedOrigins`). Default: false.
   */
  allowSameSite?: boolean;
  /**
   * Receives every decision of the strategy (started, decoyed and why, limited, refused, resumed, completed,
   * failed and why, webhook accepted or rejected and why, remote logout): the same ones the `debug` lines show
   * (`DEBUG=passport-truvalidate:*`). Never secrets, tokens or codes. Must not throw. Default: none.
   */
  onEvent?: TruValidateEventListener;
}

/** Options when `verify` does not take the request. */
export interface TruValidateStrategyOptions extends TruValidateStrategyOptionsBase {
  /** When true, `verify` receives the request first. Default: false. */
  passReqToCallback?: false;
}

/** Options when `verify` takes the request first. */
export interface TruValidateStrategyOptionsWithRequest extends TruValidateStrategyOptionsBase {
  passReqToCallback: true;
}

/** The options after validation, with defaults applied. */
export interface ResolvedOptions {
  name: string;
  sessionKey: string;
  username: ((req: Request) => string | undefined | Promise<string | undefined>) | null;
  client: ServiceClient;
  store: TruValidateStore;
  usernameField: string;
  normalizeUsername: (raw: string) => string;
  otpField: string;
  requestOptions: Pick<
    TruValidateStrategyOptionsBase,
    'policy' | 'context' | 'title' | 'ttl' | 'pushTitle' | 'pushBody' | 'denialReasons'
  >;
  passReqToCallback: boolean;
  pendingRedirect: string | null;
  pollIntervalMs: number;
  pushLimit: PushLimit | null;
  totpLimit: PushLimit | null;
  clientLimit: PushLimit | null;
  logoutMarkerTtlMs: number;
  log: (message: string, error?: unknown) => void;
  crossSite: CrossSiteRule;
  onEvent: TruValidateEventListener | null;
}

/** Default lifetime of an authorization request (s), as the API's. */
export const DEFAULT_TTL_SECONDS = 300;

const REQUEST_OPTION_KEYS = ['policy', 'context', 'title', 'ttl', 'pushTitle', 'pushBody', 'denialReasons'] as const;

function nonEmptyString(value: unknown, name: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.trim() === '')
    throw invalidOption(`TruValidateStrategy: ${name} must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

function positiveInt(value: unknown, name: string, fallback: number): number {
  return positiveIntegerOption(value, `TruValidateStrategy: ${name}`, fallback);
}

function isStore(value: unknown): value is TruValidateStore {
  if (value === null || typeof value !== 'object') return false;
  const s = value as Record<string, unknown>;
  const methods = [
    'putPending',
    'getPending',
    'claimPoll',
    'consumePending',
    'putResult',
    'getResult',
    'subscribe',
    'markSeen',
    'isSeen',
    'markLoggedOut',
    'loggedOutAt',
    'increment',
    'close',
  ];
  return methods.every((m) => typeof s[m] === 'function');
}

function buildClient(o: TruValidateStrategyOptionsBase): ServiceClient {
  if (o.client !== undefined) {
    if (!(o.client instanceof ServiceClient))
      throw invalidOption(
        'TruValidateStrategy: client must be a ServiceClient (new ServiceFactory(id, key, { url ' +
          '}).makeServiceClient())',
      );
    if (o.serviceId !== undefined || o.privateKey !== undefined)
      throw invalidOption('TruValidateStrategy: give either client or serviceId + privateKey, not both');
    return o.client;
  }
  if (o.serviceId === undefined || o.privateKey === undefined) {
    throw invalidOption('TruValidateStrategy: a ServiceClient (client) or serviceId and privateKey are required');
  }
  if (typeof o.serviceId !== 'string' || typeof o.privateKey !== 'string')
    throw invalidOption('TruValidateStrategy: serviceId and privateKey must be strings');
  if (o.apiUrl !== undefined && (typeof o.apiUrl !== 'string' || !/^https?:\/\//i.test(o.apiUrl))) {
    throw invalidOption(`TruValidateStrategy: apiUrl must be an http(s) URL, got ${JSON.stringify(o.apiUrl)}`);
  }
  if (
    o.encryptionKeys !== undefined &&
    (!Array.isArray(o.encryptionKeys) || !o.encryptionKeys.every((k) => typeof k === 'string'))
  ) {
    throw invalidOption('TruValidateStrategy: encryptionKeys must be an array of PEM strings');
  }
  try {
    const factory = new ServiceFactory(o.serviceId, o.privateKey, o.apiUrl === undefined ? {} : { url: o.apiUrl });
    for (const key of o.encryptionKeys ?? []) factory.addEncryptionPrivateKey(key);
    return factory.makeServiceClient();
  } catch (err) {
    throw new TruValidateStrategyError(
      'ERR_TRUVALIDATE_INVALID_OPTION',
      `TruValidateStrategy: cannot build the ServiceClient: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
}

function checkRequestOptions(o: TruValidateStrategyOptionsBase): void {
  const stringKeys = ['context', 'title', 'pushTitle', 'pushBody'] as const;
  for (const key of stringKeys) {
    const v = o[key];
    if (v !== undefined && typeof v !== 'string' && typeof v !== 'function')
      throw invalidOption(`TruValidateStrategy: ${key} must be a string or a function of the request`);
  }
  if (
    o.ttl !== undefined &&
    typeof o.ttl !== 'function' &&
    (typeof o.ttl !== 'number' || !Number.isInteger(o.ttl) || o.ttl <= 0)
  ) {
    throw invalidOption(
      `TruValidateStrategy: ttl must be a positive integer of seconds or a function, got ${JSON.stringify(o.ttl)}`,
    );
  }
  if (o.policy !== undefined && typeof o.policy !== 'function' && !(o.policy instanceof AuthPolicy)) {
    throw invalidOption('TruValidateStrategy: policy must be an AuthPolicy or a function of the request');
  }
  if (o.denialReasons !== undefined && typeof o.denialReasons !== 'function') {
    if (!Array.isArray(o.denialReasons) || !o.denialReasons.every((r) => r instanceof DenialReason)) {
      throw invalidOption(
        'TruValidateStrategy: denialReasons must be an array of DenialReason or a function of the request',
      );
    }
  }
}

function checkLimit(value: unknown, name: string, fallback: PushLimit): PushLimit | null {
  if (value === undefined) return { ...fallback };
  if (value === false) return null;
  if (value === null || typeof value !== 'object')
    throw invalidOption(`TruValidateStrategy: ${name} must be { max, windowMs } or false`);
  const v = value as Record<string, unknown>;
  return {
    max: positiveInt(v['max'], `${name}.max`, fallback.max),
    windowMs: positiveInt(v['windowMs'], `${name}.windowMs`, fallback.windowMs),
  };
}

function defaultLog(message: string, error?: unknown): void {
  const cause = error instanceof Error ? error.cause : undefined;
  const detail =
    error instanceof Error ? `: ${error.message}${cause instanceof Error ? ` (${cause.message})` : ''}` : '';
  process.emitWarning(`${message}${detail}`, 'TruValidateWarning');
}

/**
 * Validates the options and applies the defaults; throws {@link TruValidateStrategyError}
 * (`ERR_TRUVALIDATE_INVALID_OPTION`).
 */
export function resolveOptions(options: unknown): ResolvedOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw invalidOption('TruValidateStrategy: options must be an object');
  const o = options as TruValidateStrategyOptionsBase & { passReqToCallback?: unknown };
  checkRequestOptions(o);
  if (o.store !== undefined && !isStore(o.store))
    throw invalidOption('TruValidateStrategy: store must implement TruValidateStore (MemoryStore, RedisStore)');
  if (o.passReqToCallback !== undefined && typeof o.passReqToCallback !== 'boolean')
    throw invalidOption('TruValidateStrategy: passReqToCallback must be a boolean');
  if (o.pendingRedirect !== undefined && (typeof o.pendingRedirect !== 'string' || o.pendingRedirect === '')) {
    throw invalidOption('TruValidateStrategy: pendingRedirect must be a non-empty URL string');
  }
  if (o.logger !== undefined && typeof o.logger !== 'function')
    throw invalidOption('TruValidateStrategy: logger must be a function');
  if (o.normalizeUsername !== undefined && typeof o.normalizeUsername !== 'function') {
    throw invalidOption('TruValidateStrategy: normalizeUsername must be a function (raw: string) => string');
  }
  if (o.onEvent !== undefined && typeof o.onEvent !== 'function')
    throw invalidOption('TruValidateStrategy: onEvent must be a function');
  const client = buildClient(o);
  const requestOptions: ResolvedOptions['requestOptions'] = {};
  for (const key of REQUEST_OPTION_KEYS) if (o[key] !== undefined) Object.assign(requestOptions, { [key]: o[key] });
  if (o.username !== undefined && typeof o.username !== 'function')
    throw invalidOption('TruValidateStrategy: username must be a function (req) => string');
  return {
    name: nonEmptyString(o.name, 'name', 'truvalidate'),
    sessionKey: nonEmptyString(o.sessionKey, 'sessionKey', 'truvalidate'),
    username: o.username ?? null,
    client,
    store: o.store ?? new MemoryStore(),
    usernameField: nonEmptyString(o.usernameField, 'usernameField', 'username'),
    normalizeUsername: o.normalizeUsername ?? trimUsername,
    otpField: nonEmptyString(o.otpField, 'otpField', 'otp'),
    requestOptions,
    passReqToCallback: o.passReqToCallback === true,
    pendingRedirect: o.pendingRedirect ?? null,
    pollIntervalMs: positiveInt(o.pollIntervalMs, 'pollIntervalMs', 1000),
    pushLimit: checkLimit(o.pushLimit, 'pushLimit', { max: 5, windowMs: 60_000 }),
    totpLimit: checkLimit(o.totpLimit, 'totpLimit', { max: 5, windowMs: 300_000 }),
    clientLimit: checkLimit(o.clientLimit, 'clientLimit', { max: 30, windowMs: 60_000 }),
    logoutMarkerTtlMs: positiveInt(o.logoutMarkerTtlMs, 'logoutMarkerTtlMs', 7 * 24 * 3600 * 1000),
    log: o.logger ?? defaultLog,
    onEvent: o.onEvent ?? null,
    crossSite: crossSiteRule(
      { allowedOrigins: o.allowedOrigins, allowSameSite: o.allowSameSite },
      'TruValidateStrategy',
    ),
  };
}

/** Evaluates the authorization request options for one request (functions are called in the order of the keys). */
export async function requestOptionsFor(
  resolved: ResolvedOptions,
  req: Request,
): Promise<AuthorizationRequestOptions & { ttl: number }> {
  const out: AuthorizationRequestOptions = {};
  for (const key of REQUEST_OPTION_KEYS) {
    const option: unknown = resolved.requestOptions[key];
    const value: unknown = typeof option === 'function' ? await (option as (req: Request) => unknown)(req) : option;
    if (value !== undefined) Object.assign(out, { [key]: value });
  }
  return { ...out, ttl: out.ttl ?? DEFAULT_TTL_SECONDS };
}
