/**
 * The limits, counted in the strategy's store (`increment`: a fixed window from the first attempt, atomic and
 * shared by every instance on a shared store such as `RedisStore`):
 * - per client (`clientLimit`, `req.ip`): login starts and TOTP attempts, whatever the username;
 * - per username: pushes (`pushLimit`) and TOTP attempts (`totpLimit`).
 * The client limit is checked first, so that a client over it costs no other counter and no store space.
 */
import type { Request } from 'express';
import { fromStore } from './errors';
import type { PushLimit, ResolvedOptions } from './options';
import type { TruValidateFailure } from './profile';

/** Which limit a start or a TOTP attempt went over. */
export type LimitKind = 'client' | 'push' | 'otp';

/** Counts one attempt against `limit` under `key`; the `Retry-After` seconds when over it, else null. */
async function count(opts: ResolvedOptions, limit: PushLimit | null, key: string): Promise<number | null> {
  if (!limit) return null;
  const n = await fromStore('increment', () => opts.store.increment(key, limit.windowMs));
  // The store's counter tells no expiry: the whole window is an upper bound of the wait.
  return n > limit.max ? Math.ceil(limit.windowMs / 1000) : null;
}

/** Counts a login start or TOTP attempt of the request's client (`req.ip`); the seconds to wait when over. */
export function overClientLimit(opts: ResolvedOptions, req: Request): Promise<number | null> {
  return count(opts, opts.clientLimit, `client:${req.ip ?? req.socket?.remoteAddress ?? 'unknown'}`);
}

/** Counts a push (`push`) or a TOTP attempt (`otp`) of `username` (normalised); the seconds to wait when over. */
export function overUsernameLimit(
  opts: ResolvedOptions,
  kind: 'push' | 'otp',
  username: string,
): Promise<number | null> {
  return count(opts, kind === 'push' ? opts.pushLimit : opts.totpLimit, `${kind}:${username}`);
}

/** The Passport failure of a request over a limit (HTTP 429, with a `Retry-After` header of `retryAfter`). */
export function rateLimited(retryAfter: number): TruValidateFailure {
  return {
    message: `Too many login attempts; try again in ${retryAfter} seconds.`,
    status: 'limited',
    reason: 'rate_limited',
    retryAfter,
  };
}
