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
import { passportLogout, wrapLogout } from './passport-hooks';
import { readSessionData, type SessionLogin } from './session-data';
import { sessionStarted } from './session-start';

/** Options of `strategy.sessionGuard()`. */
export interface SessionGuardOptions {
  /**
   * Called after a remote logout (phone) logged this request's session out, before the next middleware; e.g. to
   * flash a message. Default: none.
   */
  onRemoteLogout?: (req: Request, login: SessionLogin) => void;
}

type RequestWithGuard = { isAuthenticated?: () => boolean; _truvalidateGuarded?: Set<string> };

/**
 * Ends the user's TruValidate session (`sessionEnd`), then, for a push login, writes the remote-logout marker so
 * that every other browser of the user is logged out too: there is one TruValidate session per user per service,
 * and ending it ends it everywhere, as a logout from the phone does. Failures are logged (the local logout
 * happened already).
 */
async function endEverywhere(opts: ResolvedOptions, login: SessionLogin): Promise<void> {
  // A sessionStart of this login still in flight (it runs in the background) goes first.
  await sessionStarted(opts, login.username);
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

/** Builds the handler of `strategy.sessionGuard()`. */
export function sessionGuard(opts: ResolvedOptions, options: SessionGuardOptions): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const r = req as unknown as RequestWithGuard;
    // Once per request and strategy instance (its session key): each instance guards its own login.
    const guarded = (r._truvalidateGuarded ??= new Set<string>());
    if (guarded.has(opts.sessionKey)) {
      next();
      return;
    }
    guarded.add(opts.sessionKey);
    // Logging out (req.logout) also ends the TruValidate session of a login made with this strategy.
    const original = wrapLogout(
      req,
      () => readSessionData(req, opts.sessionKey).login,
      (login) => endEverywhere(opts, login),
    );
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
      await passportLogout(original, req);
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
