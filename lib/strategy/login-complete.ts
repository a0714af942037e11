/**
 * Completing a login (push or TOTP) the same way from `authenticate` and from the status route: `verify`, then
 * Passport's `req.logIn` (which regenerates the session in Passport 0.6/0.7), then one step in the new session that
 * keeps `returnTo`, records what logout needs and starts the TruValidate session (see passport-hooks.ts for why the
 * `authenticate` path needs a one-shot wrapper of `req.logIn`).
 */
import type { Request } from 'express';
import { emitEvent } from './events';
import type { ResolvedOptions } from './options';
import type { TruValidateFailure, TruValidateProfile } from './profile';
import {
  clearPending,
  readReturnTo,
  readSessionData,
  writeReturnTo,
  writeSessionData,
  type SessionLogin,
} from './session-data';
import { afterNextLogIn, logIn } from './passport-hooks';
import { startSessionInBackground } from './session-start';
import { callVerify, type VerifiedUser, type VerifyFunction, type VerifyFunctionWithRequest } from './verify';

/** What verify decided for an approved login. */
export type Completion =
  | { kind: 'user'; user: VerifiedUser; info: Record<string, unknown> | undefined; login: SessionLogin }
  | { kind: 'failure'; failure: TruValidateFailure & Record<string, unknown> };

/** Runs verify for an approved login and prepares the session data. */
export async function verifyLogin(
  req: Request,
  opts: ResolvedOptions,
  verify: VerifyFunction | VerifyFunctionWithRequest,
  profile: TruValidateProfile,
): Promise<Completion> {
  let outcome;
  try {
    outcome = await callVerify(verify, opts.passReqToCallback, req, profile.username, profile);
  } catch (err) {
    clearPending(req, opts.sessionKey);
    throw err;
  }
  if (outcome.user === null) {
    // The approved login is consumed: the session no longer waits for it.
    clearPending(req, opts.sessionKey);
    emitEvent(opts, {
      type: 'failed',
      username: profile.username,
      authRequestId: profile.authRequestId ?? undefined,
      reason: 'verify_rejected (verify gave no user)',
    });
    const message =
      typeof outcome.info?.['message'] === 'string'
        ? (outcome.info['message'] as string)
        : 'This user may not log in here.';
    return {
      kind: 'failure',
      failure: { ...(outcome.info ?? {}), message, status: 'failed', reason: 'VERIFY_REJECTED' },
    };
  }
  const login: SessionLogin = {
    username: profile.username,
    serviceUserHash: profile.serviceUserHash,
    authRequestId: profile.authRequestId,
    loginAt: Date.now(),
  };
  return { kind: 'user', user: outcome.user, info: outcome.info, login };
}

/**
 * What follows Passport's login, in the regenerated session: `returnTo` (read before the login) restored, the
 * `login` record that logout needs written, the `completed` event, and `sessionStart` started in the background.
 */
function afterLogIn(req: Request, opts: ResolvedOptions, login: SessionLogin, returnTo: string | undefined): void {
  writeReturnTo(req, returnTo);
  const { pending: _dropped, ...rest } = readSessionData(req, opts.sessionKey);
  writeSessionData(req, opts.sessionKey, { ...rest, login });
  emitEvent(opts, {
    type: 'completed',
    username: login.username,
    authRequestId: login.authRequestId ?? undefined,
    reason: login.authRequestId === null ? 'totp' : 'push',
  });
  startSessionInBackground(opts, login);
}

/**
 * The `authenticate` path: prepares the step after the login that Passport's `authenticate` makes once the strategy
 * calls `success()` (Passport logs in with the options given to `passport.authenticate`).
 */
export function completeOnPassportLogIn(req: Request, opts: ResolvedOptions, login: SessionLogin): void {
  const returnTo = readReturnTo(req);
  afterNextLogIn(req, () => afterLogIn(req, opts, login, returnTo));
}

/**
 * The status route's path: logs in through Passport's `req.logIn(user, options)` as `authenticate` does after
 * `success()`, with the same options (`keepSessionInfo`), then the same step after the login.
 */
export async function completeWithLogIn(
  req: Request,
  opts: ResolvedOptions,
  user: VerifiedUser,
  login: SessionLogin,
  options: Record<string, unknown>,
): Promise<void> {
  const returnTo = readReturnTo(req);
  await logIn(req, user, options);
  afterLogIn(req, opts, login, returnTo);
}
