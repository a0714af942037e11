/**
 * Finding the result of the login a session waits for: from the store (a webhook already received) or by polling
 * the API (at most once per `pollIntervalMs` per login, across every browser poll and process). Terminal
 * results consume the pending record atomically: exactly one request completes an authorized login.
 */
import type { Request } from 'express';
import { AuthorizationRequestCanceled, RequestTimedOut } from '../sdk/errors';
import { bindingMatches } from './binding';
import { apiUnavailable, fromStore } from './errors';
import { emitEvent } from './events';
import type { ResolvedOptions } from './options';
import { CANCELED_RESULT, EXPIRED_RESULT, failureOf, resultFromResponse, type TruValidateFailure } from './profile';
import type { ResultHub } from './result-hub';
import { clearPending, readSessionData } from './session-data';
import type { LoginResult, PendingLogin } from './stores/store';
import { PENDING_GRACE_MS, resultTtlMs } from './login-start';

/** State of the session's login after a check. */
export type CheckOutcome =
  /** No login is pending in this session (or it is not this session's). */
  | { kind: 'none' }
  | { kind: 'pending'; authRequestId: string }
  /** Denied, fraud, expired, canceled or failed; the session no longer waits. */
  | { kind: 'failure'; authRequestId: string; failure: TruValidateFailure }
  /** Authorized, and this request consumed the pending login: it must complete the login. */
  | { kind: 'authorized'; pending: PendingLogin; result: LoginResult }
  /** Authorized, but another request of the same session consumed it (and logs the user in). */
  | { kind: 'completed-elsewhere'; authRequestId: string };

/** Time past the local expiry after which a login is expired without asking the API (clock skew allowance). */
const LOCAL_EXPIRY_SLACK_MS = 5_000;

/** Polls the API once (when this caller wins the poll claim) and publishes a result found. */
async function pollApi(opts: ResolvedOptions, pending: PendingLogin, now: number): Promise<LoginResult | null> {
  if (!(await fromStore('claimPoll', () => opts.store.claimPoll(pending.authRequestId, opts.pollIntervalMs, now))))
    return null;
  let result: LoginResult | null;
  try {
    const response = await opts.client.getAdvancedAuthorizationResponse(pending.authRequestId);
    result = response === null ? null : resultFromResponse(response);
  } catch (err) {
    if (err instanceof RequestTimedOut) result = EXPIRED_RESULT;
    else if (err instanceof AuthorizationRequestCanceled) result = CANCELED_RESULT;
    else throw apiUnavailable('authorization response poll', err);
  }
  if (result)
    await fromStore('putResult', () =>
      opts.store.putResult(pending.authRequestId, result, resultTtlMs(pending.expiresAt, now)),
    );
  return result;
}

/**
 * The decoy's poll: the same claim and the same API call as a real login's (the API does not know the id and
 * answers "no response yet" or an error, both ignored), so that a decoy's status poll costs what a real one does.
 */
async function pollDecoy(opts: ResolvedOptions, pending: PendingLogin, now: number): Promise<void> {
  if (!(await fromStore('claimPoll', () => opts.store.claimPoll(pending.authRequestId, opts.pollIntervalMs, now))))
    return;
  try {
    await opts.client.getAdvancedAuthorizationResponse(pending.authRequestId);
  } catch {
    // Expected (unknown id): the decoy only spends the time a real poll takes.
  }
}

async function settle(
  req: Request,
  opts: ResolvedOptions,
  pending: PendingLogin,
  result: LoginResult,
): Promise<CheckOutcome> {
  const consumed = await fromStore('consumePending', () => opts.store.consumePending(pending.authRequestId));
  if (result.status === 'authorized') {
    if (!consumed) return { kind: 'completed-elsewhere', authRequestId: pending.authRequestId };
    return { kind: 'authorized', pending: consumed, result };
  }
  clearPending(req, opts.sessionKey);
  const failure = failureOf(result);
  emitEvent(opts, {
    type: 'failed',
    username: pending.username,
    authRequestId: pending.authRequestId,
    reason: `${failure.status} (${failure.reason})`,
  });
  return { kind: 'failure', authRequestId: pending.authRequestId, failure };
}

/** Records that the login expired unanswered, and settles it. */
async function expire(req: Request, opts: ResolvedOptions, pending: PendingLogin): Promise<CheckOutcome> {
  await fromStore('putResult', () => opts.store.putResult(pending.authRequestId, EXPIRED_RESULT, PENDING_GRACE_MS));
  return settle(req, opts, pending, EXPIRED_RESULT);
}

/**
 * `work`, or null once `deadline` (ms since epoch) passes first. The work goes on: a poll that answers late still
 * stores its result (and publishes it), which the next check settles; its late failure is dropped (the next check
 * polls again).
 */
function beforeDeadline<T>(work: Promise<T>, deadline: number | undefined): Promise<T | null> {
  if (deadline === undefined) return work;
  work.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), Math.max(deadline - Date.now(), 0));
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * Checks the session's login once: its stored result, else (when this caller wins the poll claim) the API. With a
 * `deadline`, an API poll still in flight then is left to finish on its own and the login reads as pending.
 */
export async function checkLogin(req: Request, opts: ResolvedOptions, deadline?: number): Promise<CheckOutcome> {
  const own = readSessionData(req, opts.sessionKey).pending;
  if (!own) return { kind: 'none' };
  const id = own.authRequestId;
  const [pending, stored] = await Promise.all([
    fromStore('getPending', () => opts.store.getPending(id)),
    fromStore('getResult', () => opts.store.getResult(id)),
  ]);
  if (!pending) {
    // Consumed by a concurrent request of this session, or expired and swept.
    if (stored?.status === 'authorized') return { kind: 'completed-elsewhere', authRequestId: id };
    clearPending(req, opts.sessionKey);
    return { kind: 'failure', authRequestId: id, failure: failureOf(stored ?? EXPIRED_RESULT) };
  }
  if (!bindingMatches(own.binding, pending.bindingHash)) {
    clearPending(req, opts.sessionKey);
    return { kind: 'none' };
  }
  const now = Date.now();
  // A result already stored settles the login (for a decoy, only `strategy.cancel` stores one).
  if (stored) return settle(req, opts, pending, stored);
  if (pending.decoy === true) {
    await beforeDeadline(pollDecoy(opts, pending, now), deadline);
    return now < pending.expiresAt ? { kind: 'pending', authRequestId: id } : expire(req, opts, pending);
  }
  // The API is the authority on expiry; the local TTL only decides when no poll is allowed now.
  const polled = await beforeDeadline(pollApi(opts, pending, now), deadline);
  if (polled) return settle(req, opts, pending, polled);
  if (now >= pending.expiresAt + LOCAL_EXPIRY_SLACK_MS) return expire(req, opts, pending);
  return { kind: 'pending', authRequestId: id };
}

/**
 * Checks the session's login, waiting up to `waitMs` for a result: woken at once by a published result (webhook),
 * re-polling the API every `pollIntervalMs` as the fallback. `signal` aborts the wait (client gone). Nothing holds
 * the call past `limitMs` (at least `waitMs`): an API poll still in flight then is not awaited.
 */
export async function waitForLogin(
  req: Request,
  opts: ResolvedOptions,
  hub: ResultHub,
  waitMs: number,
  limitMs: number,
  signal?: AbortSignal,
): Promise<CheckOutcome> {
  const started = Date.now();
  const deadline = started + waitMs;
  const hardDeadline = started + Math.max(limitMs, waitMs);
  if (waitMs > 0) await hub.ready();
  for (;;) {
    const id = readSessionData(req, opts.sessionKey).pending?.authRequestId;
    const wait = id !== undefined && waitMs > 0 ? hub.wait(id) : null;
    try {
      const outcome = await checkLogin(req, opts, hardDeadline);
      const left = deadline - Date.now();
      if (outcome.kind !== 'pending' || !wait || left <= 0 || signal?.aborted) return outcome;
      let timer: NodeJS.Timeout | undefined;
      const onAbort = (): void => wait.cancel();
      signal?.addEventListener('abort', onAbort, { once: true });
      const tick = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), Math.min(left, opts.pollIntervalMs));
      });
      await Promise.race([wait.promise, tick]);
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    } finally {
      wait?.cancel();
    }
  }
}
