/**
 * Starting a push login: the push limit, the authorization request, the busy user, the binding to a new session.
 * Decoys (an unknown username, or a user without a linked device) behave like real logins in every answer: a 202 start,
 * a
 * v1 UUID, a busy answer (409) to another browser while one is waiting, the same API calls when polled or canceled.
 */
import type { Request } from 'express';
import { AuthorizationInProgress, EntityNotFound, PolicyFailure, RateLimited } from '../sdk/errors';
import { bindingHash, bindingMatches, newBindingValue } from './binding';
import { decoyRequestId } from './decoy-id';
import { apiUnavailable, fromStore } from './errors';
import { emitEvent } from './events';
import { overUsernameLimit, rateLimited } from './limits';
import { requestOptionsFor, type ResolvedOptions } from './options';
import type { TruValidateFailure } from './profile';
import { readSessionData, regenerateSession, writeSessionData } from './session-data';
import type { PendingLogin } from './stores/store';

/** Extra time a pending record outlives its request (ms), so that its expiry can be reported. */
export const PENDING_GRACE_MS = 60_000;

/** How long a login's result is kept (ms): until the request expires, plus {@link PENDING_GRACE_MS}. */
export function resultTtlMs(expiresAt: number, now = Date.now()): number {
  return Math.max(expiresAt - now, 0) + PENDING_GRACE_MS;
}

/** Outcome of a start: pending (a real or a decoy login now bound to the session), or a failure. */
export type StartOutcome =
  { kind: 'pending'; authRequestId: string } | { kind: 'failure'; failure: TruValidateFailure; httpStatus: number };

/** What a start needs besides the username. */
export interface StartOptions {
  /** Passport's `keepSessionInfo`: keep every value of the session when it is regenerated. Default: false. */
  keepSessionInfo?: boolean;
}

/**
 * Store key of the marker that says a decoy login for a username is waiting (the decoy's "user is busy"). The
 * normalised username (`normalizeUsername`), as every other key.
 */
function busyKey(username: string): string {
  return `decoy-busy:${username}`;
}

const BUSY: TruValidateFailure = {
  message:
    'A login for this user is already waiting for an answer on the device, from another browser. Answer or deny ' +
    'it there, or wait until it expires.',
  status: 'busy',
  reason: 'AUTHORIZATION_IN_PROGRESS',
};

function busy(): StartOutcome {
  return { kind: 'failure', httpStatus: 409, failure: { ...BUSY } };
}

/** A pending login before its binding is added. */
interface NewPendingLogin {
  authRequestId: string;
  username: string;
  expiresAt: number;
  createdAt: number;
  decoy?: boolean;
}

/**
 * Records the login, then gives the browser a new session (no fixation: an id planted before the login never
 * sees it) holding the binding value.
 */
async function bindToSession(
  req: Request,
  opts: ResolvedOptions,
  login: NewPendingLogin,
  ttlMs: number,
  start: StartOptions,
): Promise<StartOutcome> {
  const binding = newBindingValue();
  const record: PendingLogin = { ...login, bindingHash: bindingHash(binding) };
  await fromStore('putPending', () => opts.store.putPending(record, ttlMs + PENDING_GRACE_MS));
  await regenerateSession(req, start.keepSessionInfo === true);
  writeSessionData(req, opts.sessionKey, {
    ...readSessionData(req, opts.sessionKey),
    pending: { authRequestId: login.authRequestId, binding },
  });
  return { kind: 'pending', authRequestId: login.authRequestId };
}

/**
 * A decoy: a pending login that sends nothing and expires with the TTL, so that an unknown username (or one with
 * no linked device) is answered exactly like a real start. It costs two small store entries (the record and the
 * busy marker) for the TTL; the client limit bounds how many one client makes. Its busy marker makes a start from
 * another browser
 * answer 409 while it waits, as the API does for a real login.
 */
async function decoy(
  req: Request,
  opts: ResolvedOptions,
  username: string,
  ttlSeconds: number,
  now: number,
  start: StartOptions,
): Promise<StartOutcome> {
  const ttlMs = ttlSeconds * 1000;
  const expiresAt = now + ttlMs;
  const authRequestId = decoyRequestId();
  const outcome = await bindToSession(
    req,
    opts,
    { authRequestId, username, expiresAt, createdAt: now, decoy: true },
    ttlMs,
    start,
  );
  const marker: PendingLogin = {
    authRequestId: busyKey(username),
    username,
    bindingHash: '',
    expiresAt,
    createdAt: now,
    decoyId: authRequestId,
  };
  await fromStore('putPending', () => opts.store.putPending(marker, ttlMs));
  return outcome;
}

/**
 * The busy answer of a decoy: 409 while a decoy for `username` waits (not canceled, not expired), except for the
 * session that started it (which resumes it, as a real login resumes); null when no decoy blocks the username.
 */
async function decoyBusy(
  req: Request,
  opts: ResolvedOptions,
  username: string,
  now: number,
): Promise<StartOutcome | null> {
  const marker = await fromStore('getPending', () => opts.store.getPending(busyKey(username)));
  const decoyId = marker?.decoyId;
  if (!marker || marker.expiresAt <= now || typeof decoyId !== 'string') return null;
  const [record, result] = await Promise.all([
    fromStore('getPending', () => opts.store.getPending(decoyId)),
    fromStore('getResult', () => opts.store.getResult(decoyId)),
  ]);
  if (!record || result) return null; // settled (canceled, expired): the user is free again, as at the API
  // A real busy (or resumed) start costs one API round trip (the API's 409); so does this one (refused, ignored).
  await opts.client.getAdvancedAuthorizationResponse(decoyId).catch(() => undefined);
  const own = readSessionData(req, opts.sessionKey).pending;
  if (own !== undefined && own.authRequestId === decoyId && bindingMatches(own.binding, record.bindingHash)) {
    emitEvent(opts, { type: 'resumed', username, authRequestId: decoyId, reason: 'decoy' });
    return { kind: 'pending', authRequestId: decoyId };
  }
  emitEvent(opts, { type: 'refused', username, reason: 'busy (a decoy for this username waits in another browser)' });
  return busy();
}

/** Resumes the request that blocks the user when this very session started it. */
async function resumeOrBusy(
  req: Request,
  opts: ResolvedOptions,
  err: AuthorizationInProgress,
  username: string,
): Promise<StartOutcome> {
  const own = readSessionData(req, opts.sessionKey).pending;
  const id = err.authorizationRequestId;
  if (id !== null && own !== undefined && own.authRequestId.toLowerCase() === id.toLowerCase()) {
    const record = await fromStore('getPending', () => opts.store.getPending(own.authRequestId));
    if (record && bindingMatches(own.binding, record.bindingHash)) {
      emitEvent(opts, { type: 'resumed', username, authRequestId: own.authRequestId });
      return { kind: 'pending', authRequestId: own.authRequestId };
    }
  }
  emitEvent(opts, { type: 'refused', username, reason: 'busy (a login for this user waits in another browser)' });
  return busy();
}

/**
 * Why the API answered 404 to an authorization request, as far as it says: `no_device` when its detail says the
 * user has no linked device, `unknown_user` otherwise (the API gives both the same status).
 */
export function decoyReason(err: EntityNotFound): string {
  return /no (linked )?devices?/i.test(err.message) ? 'no_device' : 'unknown_user';
}

/** Starts a push login for `username` and binds it to the request's (regenerated) session. */
export async function startLogin(
  req: Request,
  opts: ResolvedOptions,
  username: string,
  start: StartOptions = {},
): Promise<StartOutcome> {
  const requestOptions = await requestOptionsFor(opts, req);
  const now = Date.now();
  const wait = await overUsernameLimit(opts, 'push', username);
  if (wait !== null) {
    emitEvent(opts, { type: 'limited', username, reason: 'push_limit' });
    return { kind: 'failure', httpStatus: 429, failure: rateLimited(wait) };
  }
  const blocked = await decoyBusy(req, opts, username, now);
  if (blocked) return blocked;
  let authRequestId: string;
  try {
    authRequestId = (await opts.client.authorizationRequest(username, requestOptions)).authRequest;
  } catch (err) {
    if (err instanceof EntityNotFound) {
      const outcome = await decoy(req, opts, username, requestOptions.ttl, now, start);
      emitEvent(opts, {
        type: 'decoyed',
        username,
        reason: decoyReason(err),
        authRequestId: outcome.kind === 'pending' ? outcome.authRequestId : undefined,
      });
      return outcome;
    }
    if (err instanceof AuthorizationInProgress) return resumeOrBusy(req, opts, err, username);
    if (err instanceof PolicyFailure) {
      emitEvent(opts, { type: 'refused', username, reason: "policy (the user's devices cannot satisfy it)" });
      return {
        kind: 'failure',
        httpStatus: 403,
        failure: { message: "The user's devices cannot satisfy the login policy.", status: 'failed', reason: 'POLICY' },
      };
    }
    if (err instanceof RateLimited) {
      emitEvent(opts, { type: 'limited', username, reason: 'api_rate_limited (the API answered 429)' });
      return {
        kind: 'failure',
        httpStatus: 429,
        failure: { message: 'Too many login requests; try again later.', status: 'failed', reason: 'RATE_LIMITED' },
      };
    }
    throw apiUnavailable('authorization request', err);
  }
  const ttlMs = requestOptions.ttl * 1000;
  emitEvent(opts, { type: 'started', username, authRequestId });
  return bindToSession(req, opts, { authRequestId, username, expiresAt: now + ttlMs, createdAt: now }, ttlMs, start);
}
