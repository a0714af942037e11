/**
 * {@link MemoryStore}: the default store, for one process. Bounded, swept on an `unref()`ed timer, with atomic
 * operations (Node runs them on one thread) and in-process pub/sub.
 */
import { TruValidateStrategyError, invalidOption, positiveIntegerOption } from '../errors';
import type { LoginResult, PendingLogin, ResultListener, TruValidateStore } from './store';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Most entries kept in each of the store's maps (pending logins, results, replay cache, logout markers,
   * counters). A live (unexpired) entry is never dropped: when a map is full of live entries, a write of a new
   * key rejects with `ERR_TRUVALIDATE_STORE_UNAVAILABLE` (the strategy answers 503: fail closed, no login is lost
   * and no limit is reset). Default: 100000.
   */
  maxEntries?: number;
  /**
   * How often expired entries are swept (ms). The timer is `unref()`ed: it never keeps the process alive. Default:
   * 60000.
   */
  sweepIntervalMs?: number;
  /** The clock (ms since epoch); for tests. Default: `Date.now`. */
  now?: () => number;
}

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/** A map whose entries expire and whose size is bounded: expired entries make room, live ones are never dropped. */
class ExpiringMap<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly name: string,
    private readonly maxEntries: number,
    private readonly now: () => number,
  ) {}

  get(key: string): T | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  /**
   * Sets a value. A new key when the map is full sweeps the expired entries first; when every entry is live,
   * throws `ERR_TRUVALIDATE_STORE_UNAVAILABLE` and changes nothing.
   */
  set(key: string, value: T, ttlMs: number): void {
    if (!this.entries.has(key) && this.entries.size >= this.maxEntries) {
      this.sweep();
      if (this.entries.size >= this.maxEntries) {
        throw new TruValidateStrategyError(
          'ERR_TRUVALIDATE_STORE_UNAVAILABLE',
          `The TruValidate store is full (MemoryStore: every ${this.name} entry ` +
            `is live; raise maxEntries), no login was granted.`,
        );
      }
    }
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
  }

  /** Replaces a value, keeping its expiry. */
  update(key: string, value: T): void {
    const e = this.entries.get(key);
    if (e) e.value = value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  sweep(): void {
    const now = this.now();
    for (const [key, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}

function positiveTtl(ttlMs: number, what: string): number {
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0)
    throw new RangeError(`MemoryStore.${what}: ttl must be a positive number of ms, got ${String(ttlMs)}`);
  return ttlMs;
}

/**
 * The default store of the strategy, for a single process: every instance of the app behind a load balancer
 * needs a shared store instead (`RedisStore` from `passport-truvalidate/redis`).
 *
 * - Bounded: at most `maxEntries` (default 100000) entries per kind. Live entries are never dropped: a write of a
 *   new key into a kind full of live entries rejects with `ERR_TRUVALIDATE_STORE_UNAVAILABLE` (fail closed).
 * - Expired entries are invisible at once and swept every `sweepIntervalMs` (default 60 s) by an `unref()`ed timer.
 * - `consumePending`, `claimPoll`, `markSeen` and `increment` are atomic (synchronous on Node's single thread).
 * - `putResult` notifies the listeners of `subscribe` in this process.
 */
export class MemoryStore implements TruValidateStore {
  private readonly now: () => number;
  private readonly pending: ExpiringMap<PendingLogin>;
  private readonly results: ExpiringMap<LoginResult>;
  private readonly seen: ExpiringMap<true>;
  private readonly logouts: ExpiringMap<number>;
  private readonly counters: ExpiringMap<number>;
  private readonly listeners = new Set<ResultListener>();
  private timer: NodeJS.Timeout | null;

  /** @param options see {@link MemoryStoreOptions} (all optional) */
  constructor(options: MemoryStoreOptions = {}) {
    if (options === null || typeof options !== 'object') throw invalidOption('MemoryStore: options must be an object');
    const max = positiveIntegerOption(options.maxEntries, 'MemoryStore: maxEntries', 100_000);
    const sweepMs = positiveIntegerOption(options.sweepIntervalMs, 'MemoryStore: sweepIntervalMs', 60_000);
    if (options.now !== undefined && typeof options.now !== 'function')
      throw invalidOption('MemoryStore: now must be a function');
    this.now = options.now ?? Date.now;
    this.pending = new ExpiringMap('pending login', max, this.now);
    this.results = new ExpiringMap('result', max, this.now);
    this.seen = new ExpiringMap('replay cache', max, this.now);
    this.logouts = new ExpiringMap('logout marker', max, this.now);
    this.counters = new ExpiringMap('counter', max, this.now);
    this.timer = setInterval(() => this.sweep(), sweepMs);
    this.timer.unref();
  }

  /** Removes every expired entry now (the timer does it every `sweepIntervalMs`). */
  sweep(): void {
    for (const m of [this.pending, this.results, this.seen, this.logouts, this.counters]) m.sweep();
  }

  /** Number of entries held per kind (expired ones not yet swept included). */
  get sizes(): { pending: number; results: number; seen: number; logouts: number; counters: number } {
    return {
      pending: this.pending.size,
      results: this.results.size,
      seen: this.seen.size,
      logouts: this.logouts.size,
      counters: this.counters.size,
    };
  }

  async putPending(login: PendingLogin, ttlMs: number): Promise<void> {
    this.pending.set(login.authRequestId, { ...login }, positiveTtl(ttlMs, 'putPending'));
  }

  async getPending(authRequestId: string): Promise<PendingLogin | null> {
    const p = this.pending.get(authRequestId);
    return p ? { ...p } : null;
  }

  async claimPoll(authRequestId: string, intervalMs: number, now: number): Promise<boolean> {
    const p = this.pending.get(authRequestId);
    if (!p) return false;
    if (p.lastPolledAt !== undefined && now - p.lastPolledAt < intervalMs) return false;
    this.pending.update(authRequestId, { ...p, lastPolledAt: now });
    return true;
  }

  async consumePending(authRequestId: string): Promise<PendingLogin | null> {
    const p = this.pending.get(authRequestId);
    if (!p) return null;
    this.pending.delete(authRequestId);
    return { ...p };
  }

  async putResult(authRequestId: string, result: LoginResult, ttlMs: number): Promise<void> {
    this.results.set(authRequestId, { ...result }, positiveTtl(ttlMs, 'putResult'));
    for (const listener of [...this.listeners]) {
      try {
        listener(authRequestId, { ...result });
      } catch (err) {
        process.emitWarning(
          `MemoryStore: a result listener threw: ${err instanceof Error ? err.message : String(err)}`,
          'TruValidateWarning',
        );
      }
    }
  }

  async getResult(authRequestId: string): Promise<LoginResult | null> {
    const r = this.results.get(authRequestId);
    return r ? { ...r } : null;
  }

  async subscribe(listener: ResultListener): Promise<() => Promise<void>> {
    this.listeners.add(listener);
    return async () => {
      this.listeners.delete(listener);
    };
  }

  async markSeen(id: string, ttlMs: number): Promise<boolean> {
    if (this.seen.get(id) !== undefined) return false;
    this.seen.set(id, true, positiveTtl(ttlMs, 'markSeen'));
    return true;
  }

  async isSeen(id: string): Promise<boolean> {
    return this.seen.get(id) !== undefined;
  }

  async markLoggedOut(serviceUserHash: string, at: number, ttlMs: number): Promise<void> {
    const previous = this.logouts.get(serviceUserHash);
    this.logouts.set(serviceUserHash, Math.max(previous ?? 0, at), positiveTtl(ttlMs, 'markLoggedOut'));
  }

  async loggedOutAt(serviceUserHash: string): Promise<number | null> {
    return this.logouts.get(serviceUserHash) ?? null;
  }

  async increment(key: string, windowMs: number): Promise<number> {
    const count = (this.counters.get(key) ?? 0) + 1;
    if (count === 1) this.counters.set(key, 1, positiveTtl(windowMs, 'increment'));
    else this.counters.update(key, count);
    return count;
  }

  /** Stops the sweep timer, drops every entry and listener. Idempotent. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.listeners.clear();
    for (const m of [this.pending, this.results, this.seen, this.logouts, this.counters]) m.clear();
  }
}
