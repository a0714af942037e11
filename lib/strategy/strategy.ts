/** {@link TruValidateStrategy}: push and TOTP login with TruValidate MFA for Passport. */
import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { Strategy } from 'passport-strategy';
import type { AuthenticateOptions } from 'passport';
import type { ServiceClient } from '../sdk/clients/service-client';
import { EntityNotFound, InvalidParameters } from '../sdk/errors';
import { CROSS_SITE_MESSAGE, crossSiteGuardFor, crossSiteReason } from './cross-site';
import { TruValidateStrategyError, apiUnavailable, fromStore, invalidOption } from './errors';
import { emitEvent } from './events';
import { MAX_USERNAME_LENGTH, readField, readRawField, wantsJson } from './fields';
import { applyNormalizer } from './username';
import { checkLogin, type CheckOutcome } from './login-check';
import { completeOnPassportLogIn, verifyLogin } from './login-complete';
import { startLogin } from './login-start';
import { overClientLimit, overUsernameLimit, rateLimited } from './limits';
import {
  resolveOptions,
  type ResolvedOptions,
  type TruValidateStrategyOptions,
  type TruValidateStrategyOptionsWithRequest,
} from './options';
import { pushProfile, totpProfile, type TruValidateFailure, type TruValidateProfile } from './profile';
import { healthCheck, type HealthCheckOptions, type HealthCheckResult } from './health-check';
import { ResultHub } from './result-hub';
import { sessionGuard, type SessionGuardOptions } from './session-guard';
import { cancelLogin, waitingLogin, type WaitingLogin } from './pending-login';
import { hasSession, readSessionData } from './session-data';
import { statusHandler, type StatusOptions } from './status';
import type { TruValidateStore } from './stores/store';
import type { VerifyFunction, VerifyFunctionWithRequest } from './verify';
import { webhookHandler, type WebhookOptions } from './webhook';

/** Options of `passport.authenticate('truvalidate', options)`: Passport's, plus the strategy's own. */
export interface TruValidateAuthenticateOptions extends AuthenticateOptions {
  /** Overrides the strategy's `pendingRedirect` for this route. */
  pendingRedirect?: string;
  /**
   * Passport's option, also honoured when a push login starts: the session is regenerated (new id, against
   * fixation) keeping every value of the old one when true; only `returnTo` (a local path) otherwise. Default: false.
   */
  keepSessionInfo?: boolean;
}

/** The JSON body of a pending start (HTTP 202). */
export interface PendingAnswer {
  status: 'pending';
}

const OTP_PATTERN = /^[0-9]{6,8}$/;

/**
 * How long an accepted TOTP code is remembered (ms): longer than the API accepts a code (its time step and the
 * steps of clock drift around it), so a code is never accepted twice.
 */
export const TOTP_REPLAY_TTL_MS = 300_000;

/** The replay-cache key of an accepted code: a hash, so that the store never holds a code. */
function totpReplayKey(username: string, otp: string): string {
  return `totp:${createHash('sha256').update(`${username}\u0000${otp}`, 'utf8').digest('hex')}`;
}

/**
 * The Passport strategy `truvalidate`.
 *
 * ```ts
 * passport.use(new TruValidateStrategy({ client, pendingRedirect: '/login/wait' }, async (username, profile) =>
 * findUser(username)));
 * app.post('/webhooks/truvalidate', strategy.webhook());      // before body parsers
 * app.use(session(...)); app.use(passport.initialize()); app.use(passport.session());
 * app.use(strategy.sessionGuard());                           // logout both ways
 * app.post('/login', passport.authenticate('truvalidate', { successReturnToOrRedirect: '/' }));
 * app.get('/login/status', strategy.status());
 * ```
 *
 * `authenticate` handles three kinds of request:
 * - with a username and an OTP (`otpField`): a TOTP login (`verifyTotp`), no push;
 * - with a username: starts a push login bound to the browser session and answers 202 `{ "status": "pending" }`
 *   to JSON clients, or redirects to `pendingRedirect` (303) when set; 429 over `clientLimit` or `pushLimit`;
 * - without a username, from a session waiting for a login: checks it once (store, then at most one API poll per
 *   `pollIntervalMs`): still pending (202 / redirect), a Passport failure `{ message, status, reason }` (denied,
 *   fraud, expired, canceled), or, when approved, `verify` then Passport's login then `sessionStart`.
 * A cross-site browser request (see `allowedOrigins`) fails with 403 `cross_site` before any of this.
 * One session waits for one login at a time: starting another replaces it in the session. A start gives the
 * browser a new session id (against session fixation), keeping only `returnTo` (a local path), or every value with
 * Passport's `keepSessionInfo: true`.
 */
export class TruValidateStrategy extends Strategy {
  /** The strategy name in Passport: the `name` option (default `'truvalidate'`). */
  name: string;
  /** The ServiceClient used for every API call. */
  readonly client: ServiceClient;
  /** The store of pending logins, results, the replay cache and logout markers. */
  readonly store: TruValidateStore;
  private readonly options: ResolvedOptions;
  private readonly verify: VerifyFunction | VerifyFunctionWithRequest;
  private readonly hub: ResultHub;

  /**
   * @param options see {@link TruValidateStrategyOptions} (defaults stated there)
   * @param verify `(username, profile, done)` or `async (username, profile) => user | false`
   * @throws TruValidateStrategyError `ERR_TRUVALIDATE_INVALID_OPTION` for an invalid option
   */
  constructor(options: TruValidateStrategyOptions, verify: VerifyFunction);
  /**
   * @param options with `passReqToCallback: true`
   * @param verify `(req, username, profile, done)` or `async (req, username, profile) => user | false`
   */
  constructor(options: TruValidateStrategyOptionsWithRequest, verify: VerifyFunctionWithRequest);
  constructor(
    options: TruValidateStrategyOptions | TruValidateStrategyOptionsWithRequest,
    verify: VerifyFunction | VerifyFunctionWithRequest,
  ) {
    super();
    if (typeof verify !== 'function') throw invalidOption('TruValidateStrategy: a verify function is required');
    this.options = resolveOptions(options);
    this.name = this.options.name;
    this.client = this.options.client;
    this.store = this.options.store;
    this.verify = verify;
    this.hub = new ResultHub(this.store);
  }

  /** Passport entry point (called by `passport.authenticate('truvalidate', options)`). */
  override authenticate(req: Request, options: TruValidateAuthenticateOptions = {}): void {
    this.run(req, options ?? {}).catch((err: unknown) =>
      this.error(err instanceof Error ? err : new Error(String(err))),
    );
  }

  private async run(req: Request, options: TruValidateAuthenticateOptions): Promise<void> {
    if (!hasSession(req)) {
      throw new TruValidateStrategyError(
        'ERR_TRUVALIDATE_SETUP',
        'TruValidateStrategy needs sessions: mount express-session before passport',
      );
    }
    const crossSite = crossSiteReason(req, this.options.crossSite);
    if (crossSite !== null) {
      emitEvent(this.options, { type: 'refused', reason: `cross_site (${crossSite})` });
      this.fail(
        { message: CROSS_SITE_MESSAGE, status: 'refused', reason: 'cross_site' } satisfies TruValidateFailure,
        403,
      );
      return;
    }
    const otp = readField(req, this.options.otpField);
    // Step-up (`username(req)`): a session that waits for a login checks it rather than starting another one.
    const checking =
      this.options.username !== null &&
      otp === undefined &&
      readSessionData(req, this.options.sessionKey).pending !== undefined;
    const username = checking ? undefined : await this.usernameOf(req);
    if (username !== undefined && username.length > MAX_USERNAME_LENGTH) {
      emitEvent(this.options, { type: 'refused', reason: 'invalid_username (too long)' });
      this.fail(
        {
          message: 'The username is too long.',
          status: 'invalid',
          reason: 'INVALID_USERNAME',
        } satisfies TruValidateFailure,
        400,
      );
      return;
    }
    if (username !== undefined) {
      const wait = await overClientLimit(this.options, req);
      if (wait !== null) {
        emitEvent(this.options, { type: 'limited', username, reason: 'client_limit' });
        this.failWith(req, rateLimited(wait), 429);
        return;
      }
    }
    if (username !== undefined && otp !== undefined) return this.totp(req, username, otp);
    if (username !== undefined) {
      const started = await startLogin(req, this.options, username, {
        keepSessionInfo: options.keepSessionInfo === true,
      });
      if (started.kind === 'failure') this.failWith(req, started.failure, started.httpStatus);
      else this.answerPending(req, options);
      return;
    }
    const outcome = await checkLogin(req, this.options);
    await this.settle(req, options, outcome);
  }

  /** The username of the request, normalised: the one place every path (push, TOTP, limits, store) takes it from. */
  private async usernameOf(req: Request): Promise<string | undefined> {
    const raw: unknown = this.options.username
      ? await this.options.username(req)
      : readRawField(req, this.options.usernameField);
    return typeof raw === 'string' ? applyNormalizer(this.options.normalizeUsername, raw) : undefined;
  }

  /**
   * The configured `normalizeUsername` (default: trim only): use it wherever the app creates or looks up users,
   * so that they are stored in the form the strategy sends to the API.
   */
  normalizeUsername(raw: string): string {
    return this.options.normalizeUsername(raw);
  }

  private async settle(req: Request, options: TruValidateAuthenticateOptions, outcome: CheckOutcome): Promise<void> {
    switch (outcome.kind) {
      case 'none':
        emitEvent(this.options, { type: 'refused', reason: 'missing_username (and no login waits in this session)' });
        this.fail(
          {
            message: `Missing ${this.options.usernameField}.`,
            status: 'invalid',
            reason: 'MISSING_USERNAME',
          } satisfies TruValidateFailure,
          400,
        );
        return;
      case 'pending':
        this.answerPending(req, options);
        return;
      case 'failure':
        this.fail(outcome.failure, 401);
        return;
      case 'completed-elsewhere':
        this.json(req, 200, { status: 'authorized' });
        return;
      case 'authorized':
        return this.complete(req, pushProfile(outcome.pending.username, outcome.pending.authRequestId, outcome.result));
    }
  }

  private async complete(req: Request, profile: TruValidateProfile): Promise<void> {
    const completion = await verifyLogin(req, this.options, this.verify, profile);
    if (completion.kind === 'failure') {
      this.fail(completion.failure, 403);
      return;
    }
    completeOnPassportLogIn(req, this.options, completion.login);
    this.success(completion.user, completion.info);
  }

  private async totp(req: Request, username: string, otp: string): Promise<void> {
    const invalid: TruValidateFailure = { message: 'The code is not valid.', status: 'invalid', reason: 'INVALID_OTP' };
    const refuse = (why: string): void => {
      emitEvent(this.options, { type: 'failed', username, reason: why });
      this.fail(invalid, 401);
    };
    if (!OTP_PATTERN.test(otp)) return refuse('invalid_otp (malformed)');
    if ((await overUsernameLimit(this.options, 'otp', username)) !== null) return refuse('totp_limit');
    // RFC 6238 section 5.2: a code is accepted once. Checked first (a replay costs no API call), claimed after (SET
    // NX).
    const replayKey = totpReplayKey(username, otp);
    if (await fromStore('isSeen', () => this.store.isSeen(replayKey))) return refuse('totp_replay');
    let valid: boolean;
    try {
      valid = await this.client.verifyTotp(username, otp);
    } catch (err) {
      if (!(err instanceof EntityNotFound) && !(err instanceof InvalidParameters))
        throw apiUnavailable('TOTP verification', err);
      valid = false;
    }
    if (!valid) return refuse('invalid_otp');
    if (!(await fromStore('markSeen', () => this.store.markSeen(replayKey, TOTP_REPLAY_TTL_MS))))
      return refuse('totp_replay');
    await this.complete(req, totpProfile(username));
  }

  /** Passport's failure, with a `Retry-After` header when the failure carries `retryAfter` (429). */
  private failWith(req: Request, failure: TruValidateFailure, httpStatus: number): void {
    if (failure.retryAfter !== undefined) req.res?.set('Retry-After', String(failure.retryAfter));
    this.fail(failure, httpStatus);
  }

  private answerPending(req: Request, options: TruValidateAuthenticateOptions): void {
    const redirect = options.pendingRedirect ?? this.options.pendingRedirect;
    if (redirect !== null && !wantsJson(req)) {
      this.redirect(redirect, 303);
      return;
    }
    this.json(req, 202, { status: 'pending' } satisfies PendingAnswer);
  }

  private json(req: Request, status: number, body: unknown): void {
    const res = req.res;
    if (!res)
      throw new TruValidateStrategyError(
        'ERR_TRUVALIDATE_SETUP',
        'TruValidateStrategy needs Express (req.res is missing)',
      );
    res.status(status).set('Cache-Control', 'no-store').json(body);
  }

  /**
   * Express middleware for the service callback URL. Mount it with `app.all(path, ...)` before body parsers (it
   * reads the raw body). Answers 204 once the store holds the event, 4xx `{ "error": "rejected", "message" }` for
   * an invalid webhook (why: in the debug log, never in the answer), 405 with `Allow: POST` for another method,
   * 204 without any change for a replayed one (same `jti`).
   */
  webhook(options: WebhookOptions = {}): RequestHandler {
    return webhookHandler(this.options, options);
  }

  /**
   * Middleware that makes logout work both ways; mount it right after `passport.session()`:
   * a session whose user logged out from the phone is logged out on its next request, and `req.logout()` also
   * ends the TruValidate session (`sessionEnd`) of a user who logged in with this strategy, which logs the user
   * out of every browser (push logins: one TruValidate session per user per service).
   */
  sessionGuard(options: SessionGuardOptions = {}): RequestHandler {
    return sessionGuard(this.options, options);
  }

  /**
   * The live status route for the waiting page: a JSON long poll that answers as soon as the result is known
   * (webhook, or API poll as the fallback) and completes an approved login exactly as `authenticate` does.
   * Answers `{ status: 'pending' | 'authorized' | 'denied' | 'expired' | 'canceled' | 'failed' | 'none' }`, with
   * `reason` and `message` for a failure, `denialReason` (the id the user picked) for a denial that has one, and
   * `returnTo` when authorized and the session has one. See {@link StatusAnswer}.
   */
  status(options: StatusOptions = {}): RequestHandler {
    return statusHandler(this.options, this.hub, options, (req, profile) =>
      verifyLogin(req, this.options, this.verify, profile),
    );
  }

  /**
   * The login the request's browser session waits for, for a waiting page (countdown, whose phone): null when the
   * session waits for none, or the login is not bound to this session, or it was settled (answered and reported,
   * expired, consumed). Only the session that started a login sees it. A decoy start (unknown username, or no
   * linked device) looks exactly like a real login. Reads only.
   * @throws TruValidateStrategyError `ERR_TRUVALIDATE_STORE_UNAVAILABLE` when the store fails
   */
  pendingLogin(req: Request): Promise<WaitingLogin | null> {
    return waitingLogin(req, this.options);
  }

  /**
   * Cancels the login the request's browser session waits for: `cancelAuthorizationRequest` at the API (already
   * canceled, or gone there, counts as canceled), then records the `canceled` result, so that every waiting
   * `status()` call of that login answers `{ status: 'canceled' }` at once (and `authenticate` fails with
   * `canceled`). Only the session that started a login can cancel it.
   * @returns true when this call canceled the login; false when the session waits for no login, the login was
   *   already answered on the device (the answer stands: the next status check reports it), or already canceled
   * @throws TruValidateStrategyError `ERR_TRUVALIDATE_API_UNAVAILABLE` (API) or `ERR_TRUVALIDATE_STORE_UNAVAILABLE`
   */
  cancel(req: Request): Promise<boolean> {
    return cancelLogin(req, this.options);
  }

  /**
   * Express middleware refusing cross-site browser requests on every state-changing route (not GET, HEAD,
   * OPTIONS) with this strategy's `allowedOrigins` and `allowSameSite`: 403, JSON `{ "error": "cross_site",
   * "message" }` to JSON clients and plain text otherwise. See {@link crossSiteGuard}.
   */
  crossSiteGuard(): RequestHandler {
    return crossSiteGuardFor(this.options.crossSite, (_req, reason) =>
      emitEvent(this.options, { type: 'refused', reason: `cross_site (${reason})` }),
    );
  }

  /**
   * Checks that the TruValidate API answers: one ping of its public ping endpoint with this strategy's client.
   * Never rejects: an unreachable API gives `{ ok: false, error }`. For readiness probes and `/healthz` routes.
   * @param options `timeoutMs`: longest wait, default 5000 ms
   */
  healthCheck(options?: HealthCheckOptions): Promise<HealthCheckResult> {
    return healthCheck(this.client, options);
  }

  /** Releases the strategy's store subscription (not the store itself: the app owns it). */
  close(): Promise<void> {
    return fromStore('unsubscribe', () => this.hub.close());
  }
}
