/**
 * The store of the strategy: where pending logins, their results, the webhook replay cache and remote-logout
 * markers live. One process: {@link MemoryStore} (default). Several processes: `RedisStore` from
 * `passport-truvalidate/redis`. Every method is async and may reject (e.g. Redis unreachable); the strategy then
 * fails closed (an error, never a login).
 *
 * All keys are opaque strings chosen by the strategy; all values are JSON-serialisable. TTLs are in milliseconds.
 */

/** A pending login as the strategy records it under its authorization request id. */
export interface PendingLogin {
  /** The authorization request id (also the store key). */
  authRequestId: string;
  /** The username (directory user identifier) the push was sent to. */
  username: string;
  /**
   * SHA-256 (hex) of the unguessable binding value kept in the browser session that started the login. Only a
   * request whose session holds the matching value may read or complete this login.
   */
  bindingHash: string;
  /** When the authorization request expires (ms since epoch). */
  expiresAt: number;
  /** When the login was started (ms since epoch). */
  createdAt: number;
  /** When the API was last polled for this login (ms since epoch), used to poll at most once per interval. */
  lastPolledAt?: number;
  /** True for a decoy login (an unknown user, no linked device): nothing was pushed; it expires like a real one. */
  decoy?: boolean;
  /**
   * Set on the busy marker of a decoy (stored under a key of its own, not an authorization request id): the id of
   * the decoy login it stands for.
   */
  decoyId?: string;
}

/** The outcome of a pending login, once known (from a webhook or a poll). */
export interface LoginResult {
  /** The outcome. */
  status: 'authorized' | 'denied' | 'expired' | 'canceled' | 'failed';
  /** Why (e.g. `DISAPPROVED`, `FRAUDULENT`, `POLICY`, the denial reason id, or a message). */
  reason?: string | null;
  /** Id of the denial reason the user chose, when denied. */
  denialReason?: string | null;
  /** True when the user reported the request as fraud. */
  fraud?: boolean | null;
  /** Opaque user id for this service; matches a later session-end webhook. */
  serviceUserHash?: string | null;
  /** The device that answered. */
  deviceId?: string | null;
  /** Auth methods the device reported (plain JSON of the SDK's AuthMethod). */
  authMethods?: unknown[] | null;
  /** Policy the device reported (plain JSON). */
  policy?: unknown;
}

/** Called with the auth request id and result when a result is published. */
export type ResultListener = (authRequestId: string, result: LoginResult) => void;

/** The store contract. Implementations: MemoryStore, RedisStore. */
export interface TruValidateStore {
  /** Records a pending login; it disappears after `ttlMs`. */
  putPending(login: PendingLogin, ttlMs: number): Promise<void>;
  /** Reads a pending login (null when unknown, consumed or expired). */
  getPending(authRequestId: string): Promise<PendingLogin | null>;
  /**
   * Atomically claims the right to poll the API for this login: returns true (and records `now`) when the last
   * poll was at least `intervalMs` ago or never happened; false otherwise. Across processes only one caller wins
   * per interval.
   */
  claimPoll(authRequestId: string, intervalMs: number, now: number): Promise<boolean>;
  /**
   * Atomically removes and returns the pending login, once only across every process: of any number of
   * concurrent callers exactly one gets the record, the others get null.
   */
  consumePending(authRequestId: string): Promise<PendingLogin | null>;
  /** Stores the result of a login (kept for `ttlMs`) and notifies subscribers in every process. */
  putResult(authRequestId: string, result: LoginResult, ttlMs: number): Promise<void>;
  /** Reads the result of a login (null when none yet). */
  getResult(authRequestId: string): Promise<LoginResult | null>;
  /** Subscribes to results published by `putResult` in any process; returns the unsubscribe function. */
  subscribe(listener: ResultListener): Promise<() => Promise<void>>;
  /**
   * Webhook replay cache: records `id` (a webhook JWT `jti` or body hash) for `ttlMs` and returns true when it was
   * new, false when it was already seen (SET NX semantics). The strategy records a webhook only once its content
   * is stored.
   */
  markSeen(id: string, ttlMs: number): Promise<boolean>;
  /** Whether `id` is in the replay cache (recorded by `markSeen` and not expired). Reads only. */
  isSeen(id: string): Promise<boolean>;
  /**
   * Remote-logout marker: records that every session of `serviceUserHash` that logged in at or before `at`
   * (ms since epoch) is logged out. Kept for `ttlMs`.
   */
  markLoggedOut(serviceUserHash: string, at: number, ttlMs: number): Promise<void>;
  /** The time of the latest remote logout of `serviceUserHash`, or null. */
  loggedOutAt(serviceUserHash: string): Promise<number | null>;
  /**
   * Counts an event in a fixed window (the push limit): increments the counter of `key` and returns the new
   * count; the counter expires `windowMs` after its first increment.
   */
  increment(key: string, windowMs: number): Promise<number>;
  /** Releases resources (timers, connections). */
  close(): Promise<void>;
}
