/** What the strategy keeps in the browser session (`req.session[sessionKey]`, default `req.session.truvalidate`). */
import type { Request } from 'express';

/** The login a session is waiting for (one at a time: starting another replaces it). */
export interface SessionPendingLogin {
  /** The authorization request id (the store key). */
  authRequestId: string;
  /** The unguessable binding value; the store holds only its SHA-256. */
  binding: string;
}

/** What logout needs about a user logged in with this strategy. */
export interface SessionLogin {
  /** The username (directory user identifier): `sessionEnd` is called for it on `req.logout()`. */
  username: string;
  /** The service user hash, matched against session-end webhooks; null for TOTP logins. */
  serviceUserHash: string | null;
  /** The authorization request that logged the user in; null for TOTP logins. */
  authRequestId: string | null;
  /** When the user was logged in (ms since epoch): a remote logout at or after it logs this session out. */
  loginAt: number;
}

/** The strategy's part of the session. */
export interface SessionData {
  pending?: SessionPendingLogin;
  login?: SessionLogin;
}

/** The default session key of the strategy (option `sessionKey`). */
export const SESSION_KEY = 'truvalidate';

type SessionRecord = Record<string, unknown>;

function sessionOf(req: Request): SessionRecord | null {
  const s = (req as unknown as { session?: unknown }).session;
  return s !== null && typeof s === 'object' ? (s as SessionRecord) : null;
}

/** True when the request has a session (express-session or similar). */
export function hasSession(req: Request): boolean {
  return sessionOf(req) !== null;
}

/** The strategy's data in the session under `key` (a copy; never null). */
export function readSessionData(req: Request, key: string): SessionData {
  const raw = sessionOf(req)?.[key];
  if (raw === null || typeof raw !== 'object') return {};
  const data = raw as Record<string, unknown>;
  const out: SessionData = {};
  const p = data['pending'] as Record<string, unknown> | undefined;
  if (p && typeof p['authRequestId'] === 'string' && typeof p['binding'] === 'string') {
    out.pending = { authRequestId: p['authRequestId'], binding: p['binding'] };
  }
  const l = data['login'] as Record<string, unknown> | undefined;
  if (l && typeof l['username'] === 'string' && typeof l['loginAt'] === 'number') {
    out.login = {
      username: l['username'],
      serviceUserHash: typeof l['serviceUserHash'] === 'string' ? l['serviceUserHash'] : null,
      authRequestId: typeof l['authRequestId'] === 'string' ? l['authRequestId'] : null,
      loginAt: l['loginAt'],
    };
  }
  return out;
}

/** Writes the strategy's data under `key` (removes the key when empty). No-op without a session. */
export function writeSessionData(req: Request, key: string, data: SessionData): void {
  const s = sessionOf(req);
  if (!s) return;
  if (data.pending === undefined && data.login === undefined) delete s[key];
  else s[key] = { ...data };
}

/** Removes the pending login from the strategy's data in the session (the session no longer waits for it). */
export function clearPending(req: Request, key: string): void {
  const { pending: _dropped, ...rest } = readSessionData(req, key);
  writeSessionData(req, key, rest);
}

/** A local path (`/x`, not `//host` nor `/\\host`): the only `returnTo` the strategy keeps and exposes. */
const LOCAL_PATH = /^\/(?![/\\])/;

/** True when `value` is a local path (an absolute path on this site): safe to redirect to. */
export function isLocalPath(value: unknown): value is string {
  return typeof value === 'string' && LOCAL_PATH.test(value);
}

/**
 * The app's `returnTo` (as `connect-ensure-login` and Passport's `successReturnToOrRedirect` use it), only when it
 * is a local path (`/^\/(?![\/\\])/`); anything else (`//evil.example`, `https://...`) reads as none.
 */
export function readReturnTo(req: Request): string | undefined {
  const v = sessionOf(req)?.['returnTo'];
  return isLocalPath(v) ? v : undefined;
}

/** Sets `returnTo` after a session regeneration when `value` is a local path; removes any other value. */
export function writeReturnTo(req: Request, value: string | undefined): void {
  const s = sessionOf(req);
  if (!s) return;
  if (isLocalPath(value)) s['returnTo'] = value;
  else if (!isLocalPath(s['returnTo'])) delete s['returnTo'];
}

type RegeneratingSession = SessionRecord & { regenerate?: (done: (err?: unknown) => void) => void };

/**
 * Gives the request a new session id (against session fixation), as Passport's login does: the old session is
 * destroyed; the new one keeps only `returnTo` (when a local path), or, with `keepSessionInfo` (Passport's option
 * of the same name), every value of the old one. A session without `regenerate` (e.g. cookie-session, whose
 * content is the cookie itself) is left as is.
 */
export function regenerateSession(req: Request, keepSessionInfo: boolean): Promise<void> {
  const old = sessionOf(req) as RegeneratingSession | null;
  if (!old || typeof old.regenerate !== 'function') return Promise.resolve();
  const previous: SessionRecord = { ...old };
  const returnTo = readReturnTo(req);
  return new Promise<void>((resolve, reject) => {
    old.regenerate?.((err?: unknown) => {
      if (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      const fresh = sessionOf(req);
      if (fresh && keepSessionInfo)
        for (const [key, value] of Object.entries(previous)) if (key !== 'cookie') fresh[key] = value;
      writeReturnTo(req, returnTo);
      resolve();
    });
  });
}
