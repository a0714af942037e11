/**
 * Completing a login (push or TOTP) the same way from `authenticate` and from the status helper: `verify`, then
 * Passport's `req.logIn` (which regenerates the session in Passport 0.6/0.7) through a one-shot hook that keeps
 * `returnTo`, records what logout needs in the new session, then calls `sessionStart`.
 */
import type { Request } from 'express';
import { TruValidateStrategyError } from './errors';
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
import { callVerify, type VerifiedUser, type VerifyFunction, type VerifyFunctionWithRequest } from './verify';

/** What verify decided for an approved login. */
export type Completion =
  | { kind: 'user'; user: VerifiedUser; info: Record<string, unknown> | undefined; login: SessionLogin }
  | { kind: 'failure'; failure: TruValidateFailure & Record<string, unknown> };

type LogInFn = (user: VerifiedUser, options: Record<string, unknown>, done: (err?: unknown) => void) => void;
type RequestWithLogin = { logIn?: LogInFn; login?: LogInFn };

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

async function startSession(opts: ResolvedOptions, login: SessionLogin): Promise<void> {
  try {
    await opts.client.sessionStart(login.username, login.authRequestId);
  } catch (err) {
    // The device approved: the login stands; only the session list on the device misses it.
    opts.log(`TruValidate sessionStart failed for ${JSON.stringify(login.username)}`, err);
  }
}

/**
 * Installs the one-shot hook on `req.logIn`/`req.login`: the next call (Passport's after `success`, or the status
 * helper's) logs in, restores `returnTo`, records `login` in the new session, then calls `sessionStart`.
 */
export function hookLogIn(req: Request, opts: ResolvedOptions, login: SessionLogin): void {
  const r = req as unknown as RequestWithLogin;
  const original = r.logIn;
  if (typeof original !== 'function') {
    throw new TruValidateStrategyError(
      'ERR_TRUVALIDATE_SETUP',
      'req.logIn is missing: mount passport.initialize() (and express-session) before the TruValidate routes',
    );
  }
  const hooked = function (this: unknown, user: VerifiedUser, options: unknown, done?: unknown): void {
    const cb = (typeof options === 'function' ? options : done) as (err?: unknown) => void;
    const logInOptions = (typeof options === 'object' && options !== null ? options : {}) as Record<string, unknown>;
    r.logIn = original;
    r.login = original;
    const returnTo = readReturnTo(req);
    original.call(req, user, logInOptions, (err?: unknown) => {
      if (err) {
        cb(err);
        return;
      }
      writeReturnTo(req, returnTo);
      const { pending: _dropped, ...rest } = readSessionData(req, opts.sessionKey);
      writeSessionData(req, opts.sessionKey, { ...rest, login });
      emitEvent(opts, {
        type: 'completed',
        username: login.username,
        authRequestId: login.authRequestId ?? undefined,
        reason: login.authRequestId === null ? 'totp' : 'push',
      });
      startSession(opts, login).then(() => cb(), cb);
    });
  };
  r.logIn = hooked as LogInFn;
  r.login = hooked as LogInFn;
}

/** Logs the user in now through the hook (the status helper's path). */
export function logInNow(req: Request, opts: ResolvedOptions, user: VerifiedUser, login: SessionLogin): Promise<void> {
  hookLogIn(req, opts, login);
  const r = req as unknown as RequestWithLogin;
  return new Promise<void>((resolve, reject) => {
    (r.logIn as LogInFn)(user, {}, (err?: unknown) =>
      err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(),
    );
  });
}
