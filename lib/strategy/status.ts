/** The live status route: a JSON long poll that completes an approved login like `authenticate` does. */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { CROSS_SITE_MESSAGE, crossSiteReason } from './cross-site';
import { invalidOption, TruValidateStrategyError } from './errors';
import { emitEvent } from './events';
import { completeWithLogIn, type Completion } from './login-complete';
import { waitForLogin } from './login-check';
import type { ResolvedOptions } from './options';
import { pushProfile, type TruValidateFailure, type TruValidateProfile } from './profile';
import type { ResultHub } from './result-hub';
import { hasSession, readReturnTo, readSessionData } from './session-data';

/** Options of `strategy.status()`. */
export interface StatusOptions {
  /**
   * Longest wait of one request for a result (ms); the client may ask for less with `?wait=<ms>` (0: one check,
   * no waiting). It is also the hard limit of a request: an API poll still in flight at `timeoutMs` (a slow or
   * silent API) is not awaited, the answer is `pending` and the poll's late result is kept for the next request.
   * Default: 25000.
   */
  timeoutMs?: number;
  /**
   * Passport's `keepSessionInfo` for the login this route completes, as with
   * `passport.authenticate('truvalidate', { keepSessionInfo })`: true copies the waiting session's data into the
   * regenerated one. Give it the same value as your `authenticate` route. Default: false (Passport's default).
   */
  keepSessionInfo?: boolean;
}

/** The JSON the status route answers. */
export interface StatusAnswer {
  /**
   * The login's state; `none` (HTTP 404) when the session waits for no login; `failed` with `reason:
   * 'cross_site'` (HTTP 403) for a cross-site browser request (nothing read nor completed).
   */
  status: 'pending' | 'authorized' | 'denied' | 'expired' | 'canceled' | 'failed' | 'none';
  /** Why (e.g. `FRAUDULENT`), for a failure. */
  reason?: string;
  /** A sentence for people, for a failure. */
  message?: string;
  /**
   * The id of the denial reason the user picked on the device (one of the request's `denialReasons`), for a
   * denial that has one (`denied`, also when reported as fraud); absent otherwise.
   */
  denialReason?: string;
  /** The session's `returnTo`, when authorized and one is set. */
  returnTo?: string;
}

function waitFor(req: Request, timeoutMs: number): number {
  const raw = (req.query as Record<string, unknown> | undefined)?.['wait'];
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) return timeoutMs;
  return Math.min(Number(raw), timeoutMs);
}

function send(res: Response, httpStatus: number, body: StatusAnswer): void {
  if (res.headersSent || res.destroyed) return;
  res.status(httpStatus).set('Cache-Control', 'no-store').json(body);
}

function isAuthenticated(req: Request): boolean {
  const fn = (req as { isAuthenticated?: () => boolean }).isAuthenticated;
  return typeof fn === 'function' && fn.call(req);
}

/** The answer for a login that failed (denied, fraud, expired, canceled, failed). */
function failureAnswer(failure: TruValidateFailure): StatusAnswer {
  const status =
    failure.status === 'denied' || failure.status === 'expired' || failure.status === 'canceled'
      ? failure.status
      : 'failed';
  const answer: StatusAnswer = { status, reason: failure.reason, message: failure.message };
  if (status === 'denied' && typeof failure.denialReason === 'string' && failure.denialReason !== '')
    answer.denialReason = failure.denialReason;
  return answer;
}

/** Builds the handler of `strategy.status()`. */
export function statusHandler(
  opts: ResolvedOptions,
  hub: ResultHub,
  options: StatusOptions,
  verify: (req: Request, profile: TruValidateProfile) => Promise<Completion>,
): RequestHandler {
  const timeoutMs = options.timeoutMs ?? 25_000;
  if (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs < 0)
    throw invalidOption('status: timeoutMs must be a non-negative integer');
  if (options.keepSessionInfo !== undefined && typeof options.keepSessionInfo !== 'boolean')
    throw invalidOption('status: keepSessionInfo must be a boolean');
  // What Passport's authenticate passes to req.logIn (its options object); only keepSessionInfo matters there.
  const logInOptions: Record<string, unknown> = { keepSessionInfo: options.keepSessionInfo === true };
  return (req: Request, res: Response, next: NextFunction): void => {
    const run = async (): Promise<void> => {
      if (!hasSession(req))
        throw new TruValidateStrategyError(
          'ERR_TRUVALIDATE_SETUP',
          'strategy.status() needs sessions: mount express-session before it',
        );
      const crossSite = crossSiteReason(req, opts.crossSite);
      if (crossSite !== null) {
        emitEvent(opts, { type: 'refused', reason: `cross_site (${crossSite})` });
        send(res, 403, { status: 'failed', reason: 'cross_site', message: CROSS_SITE_MESSAGE });
        return;
      }
      const aborter = new AbortController();
      const onClose = (): void => aborter.abort();
      res.once('close', onClose);
      let outcome;
      try {
        outcome = await waitForLogin(req, opts, hub, waitFor(req, timeoutMs), timeoutMs, aborter.signal);
      } finally {
        res.off('close', onClose);
      }
      switch (outcome.kind) {
        case 'none':
          if (isAuthenticated(req) && readSessionData(req, opts.sessionKey).login)
            send(res, 200, { status: 'authorized' });
          else send(res, 404, { status: 'none', message: 'No login is waiting in this session.' });
          return;
        case 'pending':
          send(res, 200, { status: 'pending' });
          return;
        case 'failure':
          send(res, 200, failureAnswer(outcome.failure));
          return;
        case 'completed-elsewhere':
          send(res, 200, { status: 'authorized' });
          return;
        case 'authorized': {
          const completion = await verify(
            req,
            pushProfile(outcome.pending.username, outcome.pending.authRequestId, outcome.result),
          );
          if (completion.kind === 'failure') {
            send(res, 200, {
              status: 'failed',
              reason: completion.failure.reason,
              message: completion.failure.message,
            });
            return;
          }
          await completeWithLogIn(req, opts, completion.user, completion.login, logInOptions);
          const returnTo = readReturnTo(req);
          send(res, 200, returnTo === undefined ? { status: 'authorized' } : { status: 'authorized', returnTo });
          return;
        }
      }
    };
    run().catch(next);
  };
}
