/**
 * Logout both ways. Mount `strategy.sessionGuard()` right after `passport.session()`:
 * - phone to browser: a session whose user ended the session on the device (session-end webhook, a marker in the
 *   store newer than the session's login) is logged out on its next request;
 * - browser to phone: `req.logout()` of a user who logged in with this strategy also calls `sessionEnd`, and (push
 *   logins) writes the same marker, so that the user's other browsers are logged out too (one TruValidate session
 *   per user per service: ending it ends it everywhere).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { fromStore } from './errors';
import { emitEvent } from './events';
import type { ResolvedOptions } from './options';
import { readSessionData, type SessionLogin } from './session-data';

/** Options of `strategy.sessionGuard()`. */
export interface SessionGuardOptions {
  /**
   * Called after a remote logout (phone) logged this request's session out, before the next middleware; e.g. to
   * flash a message. Default: none.
   */
  onRemoteLogout?: (req: Request, login: SessionLogin) => void;
}

type LogOutFn = (options?: unknown, done?: unknown) => void;
type RequestWithLogout = {
  logout?: LogOutFn;
  logOut?: LogOutFn;
  isAuthenticated?: () => boolean;
  _truvalidateGuarded?: Set<string>;
};

function logoutCall(original: LogOutFn, req: Request, options: Record<string, unknown>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    original.call(req, options, (err?: unknown) =>
      err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(),
    );
  });
}

/**
 * Ends the user's TruValidate session (`sessionEnd`), then, for a push login, writes the remote-logout marker so
 * that every other browser of the user is logged out too: there is one TruValidate session per user per service,
 * and ending it ends it everywhere, as a logout from the phone does. Failures are logged (the local logout
 * happened already).
 */
async function endEverywhere(opts: ResolvedOptions, login: SessionLogin): Promise<void> {
  try {
    await opts.client.sessionEnd(login.username);
  } catch (err) {
    opts.log(`TruValidate sessionEnd failed for ${JSON.stringify(login.username)} (the local logout happened)`, err);
  }
  if (login.serviceUserHash === null) return;
  try {
    await opts.store.markLoggedOut(login.serviceUserHash, Date.now(), opts.logoutMarkerTtlMs);
  } catch (err) {
    opts.log(
      `TruValidate logout marker not stored for ` +
        `${JSON.stringify(login.username)}: the user's other browsers stay ` +
        `logged in`,
      err,
    );
  }
}

/** Wraps `req.logout` so that it also ends the TruValidate session, in every browser of the user. */
function wrapLogout(req: Request, opts: ResolvedOptions): LogOutFn | null {
  const r = req as unknown as RequestWithLogout;
  const original = r.logout;
  if (typeof original !== 'function') return null;
  const wrapped = function (options?: unknown, done?: unknown): void {
    const cb = (typeof options === 'function' ? options : done) as ((err?: unknown) => void) | undefined;
    const logOutOptions = (typeof options === 'object' && options !== null ? options : {}) as Record<string, unknown>;
    const login = readSessionData(req, opts.sessionKey).login;
    original.call(req, logOutOptions, (err?: unknown) => {
      if (err || !login) {
        cb?.(err);
        return;
      }
      endEverywhere(opts, login).then(() => cb?.(), cb ?? (() => undefined));
    });
  };
  r.logout = wrapped;
  r.logOut = wrapped;
  return original;
}

/** Builds the handler of `strategy.sessionGuard()`. */
export function sessionGuard(opts: ResolvedOptions, options: SessionGuardOptions): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const r = req as unknown as RequestWithLogout;
    // Once per request and strategy instance (its session key): each instance guards its own login.
    const guarded = (r._truvalidateGuarded ??= new Set<string>());
    if (guarded.has(opts.sessionKey)) {
      next();
      return;
    }
    guarded.add(opts.sessionKey);
    const original = wrapLogout(req, opts);
    const login = readSessionData(req, opts.sessionKey).login;
    const authenticated = typeof r.isAuthenticated === 'function' && r.isAuthenticated();
    if (!original || !login || !login.serviceUserHash || !authenticated) {
      next();
      return;
    }
    const hash = login.serviceUserHash;
    const run = async (): Promise<void> => {
      const at = await fromStore('loggedOutAt', () => opts.store.loggedOutAt(hash));
      if (at === null || at < login.loginAt) return;
      // Logged out from the phone: the TruValidate session is already over, so no sessionEnd.
      await logoutCall(original, req, {});
      emitEvent(opts, {
        type: 'remote-logout',
        username: login.username,
        reason: 'the user ended the session on the device',
      });
      options.onRemoteLogout?.(req, login);
    };
    run().then(() => next(), next);
  };
}
