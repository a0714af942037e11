/**
 * The Lua scripts of the Redis store. Each runs atomically on the server, so the guarantees of the store contract
 * (one winner, TTL on every key) hold across every process that shares the Redis.
 */
import { createHash } from 'node:crypto';

/** A Lua script with its SHA-1, for EVALSHA with an EVAL fallback. */
export interface LuaScript {
  readonly source: string;
  readonly sha1: string;
}

function script(source: string): LuaScript {
  return { source, sha1: createHash('sha1').update(source).digest('hex') };
}

/**
 * Writes the pending login (KEYS[1]) with TTL ARGV[2] ms; when ARGV[3] is not empty (a `lastPolledAt`), also the
 * poll marker (KEYS[2]) with the same TTL; otherwise removes a stale poll marker.
 */
export const PUT_PENDING = script(`
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if ARGV[3] ~= '' then
  redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[2])
else
  redis.call('DEL', KEYS[2])
end
return 1
`);

/**
 * Claims the right to poll: KEYS[1] pending login, KEYS[2] poll marker, ARGV[1] now (ms), ARGV[2] interval (ms).
 * Returns 1 and records `now` (kept as long as the pending login) when the last recorded poll is at least the
 * interval old or absent; 0 otherwise, and 0 when the pending login is gone.
 */
export const CLAIM_POLL = script(`
local ttl = redis.call('PTTL', KEYS[1])
if ttl <= 0 then return 0 end
local last = redis.call('GET', KEYS[2])
if last and (tonumber(ARGV[1]) - tonumber(last)) < tonumber(ARGV[2]) then return 0 end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ttl)
return 1
`);

/**
 * Removes and returns the pending login (KEYS[1]) and its poll marker (KEYS[2]) as `{ json, lastPolledAt or '' }`,
 * or nil when it is gone. One caller wins.
 */
export const CONSUME_PENDING = script(`
local value = redis.call('GET', KEYS[1])
if not value then return nil end
local polled = redis.call('GET', KEYS[2])
redis.call('DEL', KEYS[1], KEYS[2])
return { value, polled or '' }
`);

/** Stores a result (KEYS[1] = ARGV[1], TTL ARGV[2] ms) and publishes ARGV[4] on channel ARGV[3], atomically. */
export const PUT_RESULT = script(`
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
`);

/** Records the later of the stored logout time and ARGV[1] in KEYS[1], with TTL ARGV[2] ms. */
export const MARK_LOGGED_OUT = script(`
local current = redis.call('GET', KEYS[1])
local at = ARGV[1]
if current and tonumber(current) > tonumber(at) then at = current end
redis.call('SET', KEYS[1], at, 'PX', ARGV[2])
return 1
`);

/** Increments KEYS[1]; the first increment (or a counter that lost its TTL) gets TTL ARGV[1] ms. */
export const INCREMENT = script(`
local count = redis.call('INCR', KEYS[1])
if count == 1 or redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return count
`);
