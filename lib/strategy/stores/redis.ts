/**
 * `passport-truvalidate/redis`: {@link RedisStore}, the store for several app instances sharing one Redis.
 *
 * ```ts
 * import { RedisStore } from 'passport-truvalidate/redis';
 * const store = new RedisStore({ url: process.env.REDIS_URL });
 * passport.use(new TruValidateStrategy({ ..., store }, verify));
 * ```
 *
 * Redis Cluster and Sentinel: create the client with `createCluster()` / `createSentinel()` from `redis` and
 * give it as `client`.
 */
import type * as RedisModule from 'redis';
import { isJsonObject } from '../../sdk/entities/schema';
import { invalidOption, TruValidateStrategyError } from '../errors';
import type { LoginResult, PendingLogin, ResultListener, TruValidateStore } from './store';
import type { RedisLike, RedisStoreClient } from './redis-clients';
import { RedisConnection, type RedisReply } from './redis-connection';
import { StoreDataError } from './redis-errors';
import { RedisResultsChannel, encodeResultMessage } from './redis-results-channel';
import { CLAIM_POLL, CONSUME_PENDING, INCREMENT, MARK_LOGGED_OUT, PUT_PENDING, PUT_RESULT } from './redis-scripts';

export { RedisStoreError, StoreDataError, StoreUnavailableError } from './redis-errors';
export type { RedisClient, RedisStoreClient } from './redis-clients';

/**
 * `redis` is an optional peer dependency, needed only when a store creates its own client (no `client` option). It
 * is loaded then, not on import: importing this entry point never throws (on Node 20, a CommonJS module that throws
 * while `import()` loads it also ends the process after the caller caught the rejection). Its absence is an error
 * saying what to install (code `ERR_TRUVALIDATE_SETUP`), thrown by the constructor.
 */
function loadRedis(): typeof RedisModule {
  try {
    return require('redis') as typeof RedisModule;
  } catch (err) {
    const missing =
      (err as { code?: unknown }).code === 'MODULE_NOT_FOUND' && /'redis'/.test(String((err as Error).message));
    if (!missing) throw err;
    throw new TruValidateStrategyError(
      'ERR_TRUVALIDATE_SETUP',
      "passport-truvalidate/redis needs the 'redis' package (v5 or v6), which is not installed: " +
        'run `npm install redis`',
      { cause: err },
    );
  }
}

/** Options of {@link RedisStore}. */
export interface RedisStoreOptions {
  /**
   * A `redis` (v5+) connection to use, e.g. the one the app's session store uses: a client (`createClient()`), a
   * Redis Cluster client (`createCluster()`) or a Sentinel client (`createSentinel()`). Connected by the store on
   * first use when it is not open yet; never closed by the store (the app owns it). Give it an `error` listener,
   * as for any `redis` client. The store bounds its own waits and commands either way; for prompt failures while
   * Redis is down, create it with `disableOfflineQueue: true`. Default: a client the store creates from `url`.
   */
  client?: RedisStoreClient;
  /**
   * Redis URL used when `client` is not given (`redis[s]://[[user][:password]@]host[:port][/db]`).
   * Default: `'redis://127.0.0.1:6379'`.
   */
  url?: string;
  /**
   * Prefix of every key and of the results channel, so that several apps can share one Redis. It may hold a
   * whole hash tag (`'{myapp}:'` puts every key on one Redis Cluster slot) but no unclosed `{`.
   * Default: `'truvalidate:'`.
   */
  prefix?: string;
  /** How long a call waits for the first connection to Redis before it rejects (ms). Default: 1000. */
  connectTimeoutMs?: number;
  /** How long one Redis command may take before the call rejects (ms). Default: 2000. */
  commandTimeoutMs?: number;
  /**
   * Longest delay between two reconnection attempts of a store-created client (ms); attempts start at 50 ms and
   * double up to this bound, forever. Default: 1000.
   */
  maxReconnectDelayMs?: number;
}

const DEFAULT_URL = 'redis://127.0.0.1:6379';
const DEFAULT_PREFIX = 'truvalidate:';

/**
 * The strategy's store on Redis, for several app instances (processes, machines) behind a load balancer.
 *
 * - Every key has a TTL (pending logins, poll markers, results, replay cache, logout markers, counters).
 * - `consumePending` and `claimPoll` are Lua scripts: one winner across every instance.
 * - `putResult` stores and publishes in one script; each store has one subscriber connection
 *   (`client.duplicate()`), so the instance holding the waiting browser wakes at once.
 * - Failure: while Redis is unreachable every method rejects promptly with `StoreUnavailableError`
 *   (`code: 'ERR_TRUVALIDATE_STORE_UNAVAILABLE'`, `status: 503`): the first connection is awaited at most
 *   `connectTimeoutMs`, a lost connection fails at once, a command at most `commandTimeoutMs`. The client keeps
 *   reconnecting, and calls succeed again as soon as Redis is back, without a restart.
 * - Run Redis with `maxmemory-policy noeviction` (Redis's default): live entries must never be dropped (an evicted
 *   pending login loses a login, an evicted counter resets a push limit); full, Redis refuses writes, and the
 *   strategy fails closed (503), as `MemoryStore` does.
 *
 * - Redis Cluster: the keys of one login share a hash tag (`{<id>}`), so that every script and multi-key read runs
 *   on one slot; results go out with `PUBLISH`, which a cluster delivers to subscribers on every node.
 *
 * Keys: `<prefix>pending:{<id>}`, `<prefix>poll:{<id>}`, `<prefix>result:{<id>}`, `<prefix>seen:{<id>}`,
 * `<prefix>logout:{<serviceUserHash>}`, `<prefix>count:{<key>}`; channel `<prefix>results`.
 */
export class RedisStore implements TruValidateStore {
  /** The key prefix in use. */
  readonly prefix: string;
  private readonly connection: RedisConnection;
  private readonly results: RedisResultsChannel;
  private readonly channel: string;

  /**
   * Creates the store; connects lazily (on the first call).
   * @throws TruValidateStrategyError `ERR_TRUVALIDATE_INVALID_OPTION` for a timeout or delay that is not a positive
   *   number; `ERR_TRUVALIDATE_SETUP` when no `client` is given and the `redis` package is not installed.
   */
  constructor(options: RedisStoreOptions = {}) {
    if (options.prefix !== undefined && typeof options.prefix !== 'string')
      throw invalidOption('RedisStore: prefix must be a string');
    if (options.prefix !== undefined && hasOpenHashTag(options.prefix)) {
      throw invalidOption('RedisStore: prefix must not hold an unclosed "{" (Redis Cluster hash tag)');
    }
    this.prefix = options.prefix ?? DEFAULT_PREFIX;
    const limits = {
      connectTimeoutMs: positive(options.connectTimeoutMs, 1000, 'connectTimeoutMs'),
      commandTimeoutMs: positive(options.commandTimeoutMs, 2000, 'commandTimeoutMs'),
    };
    const maxDelay = positive(options.maxReconnectDelayMs, 1000, 'maxReconnectDelayMs');
    const owned = options.client === undefined;
    const client: RedisStoreClient =
      options.client ??
      loadRedis().createClient({
        url: options.url ?? DEFAULT_URL,
        disableOfflineQueue: true,
        socket: {
          connectTimeout: limits.connectTimeoutMs,
          reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 10), maxDelay),
        },
      });
    this.connection = new RedisConnection(client as unknown as RedisLike, owned, limits);
    this.channel = `${this.prefix}results`;
    this.results = new RedisResultsChannel(client as unknown as RedisLike, this.channel, limits);
  }

  /** Records a pending login for `ttlMs`. */
  async putPending(login: PendingLogin, ttlMs: number): Promise<void> {
    const polled = login.lastPolledAt === undefined ? '' : String(login.lastPolledAt);
    const { lastPolledAt: _omit, ...record } = login;
    await this.connection.evalScript(
      PUT_PENDING,
      [this.key('pending', login.authRequestId), this.key('poll', login.authRequestId)],
      [JSON.stringify(record), ttl(ttlMs), polled],
    );
  }

  /** Reads a pending login, with the time of its last poll claim as `lastPolledAt`. */
  async getPending(authRequestId: string): Promise<PendingLogin | null> {
    const reply = await this.connection.command([
      'MGET',
      this.key('pending', authRequestId),
      this.key('poll', authRequestId),
    ]);
    if (!Array.isArray(reply) || reply.length !== 2) throw new StoreDataError('Unexpected MGET reply from Redis.');
    const [value, polled] = reply;
    if (value === null || value === undefined) return null;
    return parsePending(value, polled);
  }

  /** Atomically claims the right to poll (one winner per interval across instances); false once consumed. */
  async claimPoll(authRequestId: string, intervalMs: number, now: number): Promise<boolean> {
    const reply = await this.connection.evalScript(
      CLAIM_POLL,
      [this.key('pending', authRequestId), this.key('poll', authRequestId)],
      [String(Math.floor(now)), String(Math.max(0, Math.floor(intervalMs)))],
    );
    return Number(reply) === 1;
  }

  /** Atomically removes and returns the pending login: exactly one caller across every instance gets it. */
  async consumePending(authRequestId: string): Promise<PendingLogin | null> {
    const reply = await this.connection.evalScript(
      CONSUME_PENDING,
      [this.key('pending', authRequestId), this.key('poll', authRequestId)],
      [],
    );
    if (reply === null || reply === undefined) return null;
    if (!Array.isArray(reply) || reply.length !== 2)
      throw new StoreDataError('Unexpected reply of the consume script.');
    return parsePending(reply[0] ?? null, reply[1] ?? null);
  }

  /** Stores the result for `ttlMs` and publishes it to every instance, in one atomic script. */
  async putResult(authRequestId: string, result: LoginResult, ttlMs: number): Promise<void> {
    await this.connection.evalScript(
      PUT_RESULT,
      [this.key('result', authRequestId)],
      [JSON.stringify(result), ttl(ttlMs), this.channel, encodeResultMessage(authRequestId, result)],
    );
  }

  /** Reads the result of a login, or null. */
  async getResult(authRequestId: string): Promise<LoginResult | null> {
    const value = await this.connection.command(['GET', this.key('result', authRequestId)]);
    if (value === null || value === undefined) return null;
    const parsed = parseJson(value, 'result');
    if (typeof parsed['status'] !== 'string') throw new StoreDataError('Stored login result has no status.');
    return parsed as unknown as LoginResult;
  }

  /**
   * Subscribes to results published by any instance. Resolves once the subscription is live; rejects with
   * `StoreUnavailableError` when Redis is unreachable (call again later).
   */
  subscribe(listener: ResultListener): Promise<() => Promise<void>> {
    return this.results.subscribe(listener);
  }

  /** Replay cache: `SET NX PX`; true when `id` was new. */
  async markSeen(id: string, ttlMs: number): Promise<boolean> {
    const reply = await this.connection.command(['SET', this.key('seen', id), '1', 'NX', 'PX', ttl(ttlMs)]);
    return reply !== null && reply !== undefined;
  }

  /** Replay cache: `EXISTS`; true when `id` was recorded and has not expired. */
  async isSeen(id: string): Promise<boolean> {
    return Number(await this.connection.command(['EXISTS', this.key('seen', id)])) === 1;
  }

  /** Records a remote logout of `serviceUserHash` at `at` (the later time wins), kept for `ttlMs`. */
  async markLoggedOut(serviceUserHash: string, at: number, ttlMs: number): Promise<void> {
    await this.connection.evalScript(
      MARK_LOGGED_OUT,
      [this.key('logout', serviceUserHash)],
      [String(Math.floor(at)), ttl(ttlMs)],
    );
  }

  /** The time of the latest remote logout of `serviceUserHash`, or null. */
  async loggedOutAt(serviceUserHash: string): Promise<number | null> {
    const value = await this.connection.command(['GET', this.key('logout', serviceUserHash)]);
    if (value === null || value === undefined) return null;
    const at = Number(String(value));
    if (!Number.isFinite(at)) throw new StoreDataError('Stored logout time is not a number.');
    return at;
  }

  /** Fixed-window counter: INCR, with the window's TTL set on the first hit (one script). */
  async increment(key: string, windowMs: number): Promise<number> {
    const reply = await this.connection.evalScript(INCREMENT, [this.key('count', key)], [ttl(windowMs)]);
    return Number(reply);
  }

  /** Closes the subscriber connection, and the client when the store created it. Later calls reject. */
  async close(): Promise<void> {
    await this.results.close();
    await this.connection.close();
  }

  /** `<prefix><kind>:{<id>}`: the hash tag keeps the keys of one login on one Redis Cluster slot. */
  private key(kind: string, id: string): string {
    return `${this.prefix}${kind}:{${id}}`;
  }
}

/** True when `prefix` opens a hash tag it does not close (the keys of one login could then span slots). */
function hasOpenHashTag(prefix: string): boolean {
  const open = prefix.indexOf('{');
  return open !== -1 && prefix.indexOf('}', open + 1) === -1;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw invalidOption(`RedisStore: ${name} must be a positive number of milliseconds, got ${String(value)}`);
  }
  return value;
}

/** A TTL for PX: a whole number of ms, at least 1 (a TTL already past keeps the key for 1 ms). */
function ttl(ms: number): string {
  if (!Number.isFinite(ms)) throw new TypeError(`RedisStore: TTL must be a finite number of ms, got ${String(ms)}.`);
  return String(Math.max(1, Math.ceil(ms)));
}

function parseJson(value: RedisReply, what: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(String(value));
    if (isJsonObject(parsed)) return parsed;
  } catch {
    // reported below
  }
  throw new StoreDataError(`Stored ${what} is not a JSON object.`);
}

function parsePending(value: RedisReply, polled: RedisReply | null | undefined): PendingLogin {
  const record = parseJson(value, 'pending login');
  if (typeof record['authRequestId'] !== 'string' || typeof record['bindingHash'] !== 'string') {
    throw new StoreDataError('Stored pending login lacks authRequestId or bindingHash.');
  }
  const login = record as unknown as PendingLogin;
  const lastPolledAt = polled === null || polled === undefined || polled === '' ? NaN : Number(String(polled));
  if (Number.isFinite(lastPolledAt)) login.lastPolledAt = lastPolledAt;
  return login;
}
