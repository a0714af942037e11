/** Starting a push login: the push limit, the authorization request, the busy user, the binding to the session. */
import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { AuthorizationInProgress, EntityNotFound, PolicyFailure, RateLimited } from '../sdk/errors';
import { bindingHash, bindingMatches, newBindingValue } from './binding';
import { apiUnavailable, storeUnavailable } from './errors';
import { requestOptionsFor, type ResolvedOptions } from './options';
import type { TruValidateFailure } from './profile';
import { readSessionData, writeSessionData } from './session-data';
import type { PendingLogin } from './stores/store';

/** Extra time a pending record outlives its request (ms), so that its expiry can be reported. */
export const PENDING_GRACE_MS = 60_000;

/** Outcome of a start: pending (a real or a decoy login now bound to the session), or a failure. */
export type StartOutcome = { kind: 'pending'; authRequestId: string } | { kind: 'failure'; failure: TruValidateFailure; httpStatus: number };

async function store<T>(what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw storeUnavailable(what, err);
  }
}

/** A pending login before its binding is added. */
interface NewPendingLogin {
  authRequestId: string;
  username: string;
  expiresAt: number;
  createdAt: number;
  decoy?: boolean;
}

async function bindToSession(req: Request, opts: ResolvedOptions, login: NewPendingLogin, ttlMs: number): Promise<StartOutcome> {
  const binding = newBindingValue();
  const record: PendingLogin = { ...login, bindingHash: bindingHash(binding) };
  await store('putPending', () => opts.store.putPending(record, ttlMs + PENDING_GRACE_MS));
  writeSessionData(req, { ...readSessionData(req), pending: { authRequestId: login.authRequestId, binding } });
  return { kind: 'pending', authRequestId: login.authRequestId };
}

/**
 * A decoy: a pending login that sends nothing and expires with the TTL, so that an unknown username or a
 * push-limited one is answered exactly like a real start.
 */
function decoy(req: Request, opts: ResolvedOptions, username: string, ttlSeconds: number, now: number): Promise<StartOutcome> {
  const ttlMs = ttlSeconds * 1000;
  return bindToSession(req, opts, { authRequestId: randomUUID(), username, expiresAt: now + ttlMs, createdAt: now, decoy: true }, ttlMs);
}

/** True when the push limit of `username` is exceeded by this attempt (the attempt is counted). */
export async function overLimit(opts: ResolvedOptions, kind: 'push' | 'otp', username: string): Promise<boolean> {
  if (!opts.pushLimit) return false;
  const limit = opts.pushLimit;
  const count = await store('increment', () => opts.store.increment(`${kind}:${username.toLowerCase()}`, limit.windowMs));
  return count > limit.max;
}

/** Resumes the request that blocks the user when this very session started it. */
async function resumeOrBusy(req: Request, opts: ResolvedOptions, err: AuthorizationInProgress): Promise<StartOutcome> {
  const own = readSessionData(req).pending;
  const id = err.authorizationRequestId;
  if (id !== null && own !== undefined && own.authRequestId.toLowerCase() === id.toLowerCase()) {
    const record = await store('getPending', () => opts.store.getPending(own.authRequestId));
    if (record && bindingMatches(own.binding, record.bindingHash)) return { kind: 'pending', authRequestId: own.authRequestId };
  }
  return {
    kind: 'failure',
    httpStatus: 409,
    failure: {
      message: 'A login for this user is already waiting for an answer on the device, from another browser. Answer or deny it there, or wait until it expires.',
      status: 'busy',
      reason: 'AUTHORIZATION_IN_PROGRESS',
    },
  };
}

/** Starts a push login for `username` and binds it to the request's session. */
export async function startLogin(req: Request, opts: ResolvedOptions, username: string): Promise<StartOutcome> {
  const requestOptions = await requestOptionsFor(opts, req);
  const now = Date.now();
  if (await overLimit(opts, 'push', username)) return decoy(req, opts, username, requestOptions.ttl, now);
  let authRequestId: string;
  try {
    authRequestId = (await opts.client.authorizationRequest(username, requestOptions)).authRequest;
  } catch (err) {
    if (err instanceof EntityNotFound) return decoy(req, opts, username, requestOptions.ttl, now);
    if (err instanceof AuthorizationInProgress) return resumeOrBusy(req, opts, err);
    if (err instanceof PolicyFailure) {
      return { kind: 'failure', httpStatus: 403, failure: { message: 'The user\'s devices cannot satisfy the login policy.', status: 'failed', reason: 'POLICY' } };
    }
    if (err instanceof RateLimited) {
      return { kind: 'failure', httpStatus: 429, failure: { message: 'Too many login requests; try again later.', status: 'failed', reason: 'RATE_LIMITED' } };
    }
    throw apiUnavailable('authorization request', err);
  }
  const ttlMs = requestOptions.ttl * 1000;
  return bindToSession(req, opts, { authRequestId, username, expiresAt: now + ttlMs, createdAt: now }, ttlMs);
}
