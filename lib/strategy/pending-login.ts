/**
 * The login a browser session waits for, as the app may see and end it: `strategy.pendingLogin(req)` (for a
 * waiting page: who, until when) and `strategy.cancel(req)` (a cancel button). Both act only on the login bound to
 * the request's own session (the binding value in the session must match the store's hash).
 */
import type { Request } from 'express';
import { AuthorizationRequestCanceled, AuthorizationResponseExists, EntityNotFound } from '../sdk/errors';
import { bindingMatches } from './binding';
import { apiUnavailable, fromStore } from './errors';
import { resultTtlMs } from './login-start';
import type { ResolvedOptions } from './options';
import { CANCELED_RESULT } from './profile';
import { readSessionData } from './session-data';
import type { PendingLogin } from './stores/store';

/** The login a browser session waits for, as `strategy.pendingLogin(req)` answers it. */
export interface WaitingLogin {
  /** The authorization request id. */
  authRequestId: string;
  /** The username (directory user identifier) the push was sent to. */
  username: string;
  /** When the request expires (ms since epoch): what a countdown counts down to. */
  expiresAt: number;
}

/** The pending login of the request's session, when the store still holds it and it is bound to this session. */
export async function ownPendingLogin(req: Request, opts: ResolvedOptions): Promise<PendingLogin | null> {
  const own = readSessionData(req, opts.sessionKey).pending;
  if (!own) return null;
  const pending = await fromStore('getPending', () => opts.store.getPending(own.authRequestId));
  return pending && bindingMatches(own.binding, pending.bindingHash) ? pending : null;
}

/** The public view of the session's pending login (a decoy looks exactly like a real login). */
export async function waitingLogin(req: Request, opts: ResolvedOptions): Promise<WaitingLogin | null> {
  const pending = await ownPendingLogin(req, opts);
  return pending
    ? { authRequestId: pending.authRequestId, username: pending.username, expiresAt: pending.expiresAt }
    : null;
}

/**
 * Cancels the session's pending login: at the API (`cancelAuthorizationRequest`, for a decoy too, whose unknown
 * id the API refuses: the same call, the same time), then records the `canceled` result, which wakes every
 * waiting status call. Unknown at the API (expired and gone) counts as canceled. Returns false when the session
 * waits for no login, the login was already answered (the answer stands: the next status check reports it), or it
 * was already canceled (a second cancel).
 */
export async function cancelLogin(req: Request, opts: ResolvedOptions): Promise<boolean> {
  const pending = await ownPendingLogin(req, opts);
  if (!pending) return false;
  const id = pending.authRequestId;
  const known = await fromStore('getResult', () => opts.store.getResult(id));
  if (known) return false; // settled already: answered, expired or canceled by an earlier call
  try {
    // A decoy makes the same API call as a real cancel, so that it costs the same; its error (unknown id) is ignored.
    await opts.client.cancelAuthorizationRequest(id);
  } catch (err) {
    if (pending.decoy !== true) {
      if (err instanceof AuthorizationResponseExists) return false;
      if (!(err instanceof AuthorizationRequestCanceled) && !(err instanceof EntityNotFound))
        throw apiUnavailable('authorization request cancel', err);
    }
  }
  await fromStore('putResult', () => opts.store.putResult(id, CANCELED_RESULT, resultTtlMs(pending.expiresAt)));
  return true;
}
