/** The app's `verify` function: its four forms, and one way to call them. */
import type { Request } from 'express';
import type { TruValidateProfile } from './profile';

/** Passport's user (augmented by apps through `Express.User`). */
export type VerifiedUser = Express.User;

/** `done` of a callback-style verify: `done(null, user)`, `done(null, false, { message })`, or `done(err)`. */
export type VerifyDone = (error: unknown, user?: VerifiedUser | false | null, info?: Record<string, unknown>) => void;

/** Callback form: `(username, profile, done)`. */
export type VerifyCallback = (username: string, profile: TruValidateProfile, done: VerifyDone) => void;
/** Promise form: `(username, profile) => user | false` (resolving to `false`/null refuses the login). */
export type VerifyPromise = (username: string, profile: TruValidateProfile) => Promise<VerifiedUser | false | null>;
/**
 * The verify function without the request: callback form `(username, profile, done)` or promise form
 * `async (username, profile) => user | false`. (One signature, so that parameters are typed in place.)
 */
export type VerifyFunction = (
  username: string,
  profile: TruValidateProfile,
  done: VerifyDone,
) => void | Promise<VerifiedUser | false | null | undefined | void>;

/** Callback form with the request: `(req, username, profile, done)`. */
export type VerifyCallbackWithRequest = (
  req: Request,
  username: string,
  profile: TruValidateProfile,
  done: VerifyDone,
) => void;
/** Promise form with the request: `(req, username, profile) => user | false`. */
export type VerifyPromiseWithRequest = (
  req: Request,
  username: string,
  profile: TruValidateProfile,
) => Promise<VerifiedUser | false | null>;
/**
 * The verify function with the request (`passReqToCallback: true`): `(req, username, profile, done)` or its promise
 * form.
 */
export type VerifyFunctionWithRequest = (
  req: Request,
  username: string,
  profile: TruValidateProfile,
  done: VerifyDone,
) => void | Promise<VerifiedUser | false | null | undefined | void>;

/** What verify decided. */
export interface VerifyOutcome {
  /** The user, or null when verify refused the login. */
  user: VerifiedUser | null;
  info: Record<string, unknown> | undefined;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Calls verify. A function declaring the `done` parameter (`length` 3, or 4 with the request) is callback style;
 * otherwise it must return a promise (or a value). Errors, thrown or passed to `done`, reject.
 */
export function callVerify(
  verify: VerifyFunction | VerifyFunctionWithRequest,
  passReqToCallback: boolean,
  req: Request,
  username: string,
  profile: TruValidateProfile,
): Promise<VerifyOutcome> {
  const args: unknown[] = passReqToCallback ? [req, username, profile] : [username, profile];
  const callbackStyle = verify.length > args.length;
  return new Promise<VerifyOutcome>((resolve, reject) => {
    let settled = false;
    const settle = (error: unknown, user?: unknown, info?: Record<string, unknown>): void => {
      if (settled) return;
      settled = true;
      if (error !== null && error !== undefined) reject(error instanceof Error ? error : new Error(String(error)));
      else if (user === false || user === null || user === undefined) resolve({ user: null, info });
      else resolve({ user: user as VerifiedUser, info });
    };
    try {
      const returned = (verify as (...a: unknown[]) => unknown)(...args, settle);
      if (isThenable(returned)) {
        returned.then(
          (user) => {
            if (!callbackStyle) settle(null, user);
          },
          (err: unknown) => settle(err ?? new Error('verify rejected')),
        );
      } else if (!callbackStyle) {
        settle(null, returned);
      }
    } catch (err) {
      settle(err);
    }
  });
}
