/**
 * The only place where the strategy touches Passport's request methods (`req.logIn`/`req.login` and
 * `req.logout`/`req.logOut`, added by `passport.initialize()`). Nothing else of Passport is replaced, and each
 * wrapper calls Passport's own method with the caller's arguments.
 *
 * Why wrappers at all: Passport (0.6 and 0.7) gives a strategy no per-login hook that runs after
 * `SessionManager.logIn` has regenerated the session. After `strategy.success(user, info)`, `authenticate` calls
 * `req.logIn(user, options, cb)`, which replaces `req.session` with a new one, then redirects or calls `next()`; the
 * only code Passport runs on the new session is the app-wide `serializeUser` chain, which an app configures once for
 * all its strategies. Likewise `req.logout()` has no hook: it clears the login and regenerates the session. So:
 *
 * - {@link afterNextLogIn} wraps `req.logIn` for ONE call, installed right before the strategy's `success()` (the
 *   `authenticate` path only; the status route calls Passport's `req.logIn` itself and needs no wrapper). The
 *   wrapper restores itself to Passport's method before calling it.
 * - {@link wrapLogout} wraps `req.logout` for the rest of one request, installed by `strategy.sessionGuard()`, so that
 *   logging out also ends the TruValidate session (Passport's logout runs first, unchanged).
 *
 * Both are tested on Passport 0.6 and 0.7 (test/strategy/passport-hooks.test.ts).
 */
import type { Request } from 'express';
import { TruValidateStrategyError } from './errors';

/** Passport's `req.logIn(user, options?, done)`. */
export type LogInFn = (user: unknown, options: unknown, done?: unknown) => void;
/** Passport's `req.logout(options?, done)`. */
export type LogOutFn = (options?: unknown, done?: unknown) => void;

type PassportRequest = { logIn?: LogInFn; login?: LogInFn; logout?: LogOutFn; logOut?: LogOutFn };

/** The `done` callback and the options object of a call with Passport's optional-options signature. */
function splitArgs(
  options: unknown,
  done: unknown,
): { options: Record<string, unknown>; done?: (err?: unknown) => void } {
  const cb = (typeof options === 'function' ? options : done) as ((err?: unknown) => void) | undefined;
  const opts = (typeof options === 'object' && options !== null ? options : {}) as Record<string, unknown>;
  return cb === undefined ? { options: opts } : { options: opts, done: cb };
}

/** Passport's `req.logIn`, or a setup error saying what to mount. */
export function passportLogIn(req: Request): LogInFn {
  const logIn = (req as unknown as PassportRequest).logIn;
  if (typeof logIn !== 'function') {
    throw new TruValidateStrategyError(
      'ERR_TRUVALIDATE_SETUP',
      'req.logIn is missing: mount passport.initialize() (and express-session) before the TruValidate routes',
    );
  }
  return logIn;
}

/**
 * Calls Passport's `req.logIn(user, options)` (the documented API; it regenerates the session) and resolves once
 * the new session is saved.
 */
export function logIn(req: Request, user: unknown, options: Record<string, unknown>): Promise<void> {
  const original = passportLogIn(req);
  return new Promise<void>((resolve, reject) => {
    original.call(req, user, options, (err?: unknown) =>
      err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(),
    );
  });
}

/**
 * Runs `after` once, after the next `req.logIn` call of this request has logged in (in the new session), before
 * that call's callback: the one-shot wrapper of the `authenticate` path. `req.logIn` and `req.login` are Passport's
 * own again as soon as the wrapper is called (or, if `success()` never logs in, when the request ends).
 * @param after work on the regenerated session; its error (sync or async) is passed to the login's callback
 */
export function afterNextLogIn(req: Request, after: () => Promise<void> | void): void {
  const r = req as unknown as PassportRequest;
  const original = passportLogIn(req);
  const hadLogin = r.login;
  const restore = (): void => {
    r.logIn = original;
    r.login = hadLogin;
  };
  const wrapper: LogInFn = function (this: unknown, user: unknown, options: unknown, done?: unknown): void {
    restore();
    const call = splitArgs(options, done);
    const cb = call.done ?? (() => undefined);
    original.call(req, user, call.options, (err?: unknown) => {
      if (err) {
        cb(err);
        return;
      }
      Promise.resolve()
        .then(after)
        .then(() => cb(), cb);
    });
  };
  r.logIn = wrapper;
  r.login = wrapper;
  req.res?.once('close', restore);
}

/**
 * Wraps `req.logout`/`req.logOut` for this request: Passport's logout runs first with the caller's arguments, then
 * (when it succeeded) `after(login)` with what `before()` read from the session before Passport cleared it; the
 * caller's callback runs once both are done. Returns Passport's method, or null when Passport is not mounted.
 */
export function wrapLogout<T>(
  req: Request,
  before: () => T | undefined,
  after: (value: T) => Promise<void>,
): LogOutFn | null {
  const r = req as unknown as PassportRequest;
  const original = r.logout;
  if (typeof original !== 'function') return null;
  const wrapped: LogOutFn = function (options?: unknown, done?: unknown): void {
    const call = splitArgs(options, done);
    const value = before();
    original.call(req, call.options, (err?: unknown) => {
      if (err || value === undefined) {
        call.done?.(err);
        return;
      }
      after(value).then(
        () => call.done?.(),
        (e: unknown) => call.done?.(e),
      );
    });
  };
  r.logout = wrapped;
  r.logOut = wrapped;
  return original;
}

/** Calls Passport's own `req.logout` (as returned by {@link wrapLogout}) and resolves when it is done. */
export function passportLogout(original: LogOutFn, req: Request): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    original.call(req, {}, (err?: unknown) =>
      err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(),
    );
  });
}
