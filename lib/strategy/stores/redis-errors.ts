/**
 * Errors of the Redis store. Each has a stable `code`, so the strategy (and applications) can tell a store outage
 * apart from other failures without importing this module.
 */

/** Base of the Redis store's errors. */
export abstract class RedisStoreError extends Error {
  /** Stable machine-readable code. */
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Redis cannot be reached (never connected, connection lost and reconnecting, a command timed out, the store was
 * closed) or refused the command. The operation did not happen, or its outcome is unknown; the caller must fail
 * closed (HTTP 503, no login, no 2xx webhook acknowledgement). Code: `ERR_TRUVALIDATE_STORE_UNAVAILABLE`.
 */
export class StoreUnavailableError extends RedisStoreError {
  /** `ERR_TRUVALIDATE_STORE_UNAVAILABLE` */
  readonly code = 'ERR_TRUVALIDATE_STORE_UNAVAILABLE';
  /** HTTP status an Express error handler should answer with: 503. */
  readonly status = 503;
}

/** A value read from Redis is not what this store wrote (not JSON, wrong shape). Code: `ERR_TRUVALIDATE_STORE_DATA`. */
export class StoreDataError extends RedisStoreError {
  /** `ERR_TRUVALIDATE_STORE_DATA` */
  readonly code = 'ERR_TRUVALIDATE_STORE_DATA';
  /** HTTP status an Express error handler should answer with: 500. */
  readonly status = 500;
}
