/**
 * The API's public keys: the current encryption key (300 s), keys by id (no expiry) and, so that forged JWTs
 * cannot make the client call the API once each, key ids the API does not know (60 s) and a budget of by-id
 * fetches for key ids that come from webhooks (5 a minute) (docs/protocol.md 7.2).
 */
import type { KeyObject } from 'node:crypto';
import { API_CACHE_TIME } from '../constants';
import { JWTValidationFailure, UnexpectedAPIResponse } from '../errors';
import type { HttpTransport, HttpResult } from './http-transport';
import { keyId, parseRsaPublicKey } from './keys';

/** Path of the current API public key. */
export const PUBLIC_KEY_PATH = '/public/v3/public-key';

/** A key id (docs/protocol.md §1.4, §3.2): 16 hex pairs joined by `:`; either case. */
const KEY_ID_PATTERN = /^[0-9a-f]{2}(?::[0-9a-f]{2}){15}$/i;

/** Whether `value` has the form of a key id: 16 hex pairs (lower or upper case) joined by `:`. */
export function isKeyId(value: unknown): value is string {
  return typeof value === 'string' && KEY_ID_PATTERN.test(value);
}

/** The error for a JWT header `kid` that is not a key id (nothing is fetched for it). */
export function notAKeyIdError(kid: unknown): JWTValidationFailure {
  return new JWTValidationFailure(
    `the JWT header kid ${JSON.stringify(String(kid).slice(0, 64))} is not a key id (16 hex pairs joined by ":")`,
  );
}

/**
 * The path of `GET /public/v3/public-key/{kid}`: the `:` of the key id stay raw (docs/protocol.md §2.1), anything else
 * that is not a URL-safe character is percent-encoded (a checked key id has nothing else).
 */
export function publicKeyPathFor(kid: string): string {
  return `${PUBLIC_KEY_PATH}/${encodeURIComponent(kid).replace(/%3A/gi, ':')}`;
}

/** Options of an {@link ApiKeyCache}. */
export interface ApiKeyCacheOptions {
  /** Lifetime of the current encryption key in seconds. Default 300 (`API_CACHE_TIME`). */
  ttlSeconds?: number;
  /** How long a key id the API answered as unknown is not asked for again, in seconds. Default 60. */
  missTtlSeconds?: number;
  /** Most unknown key ids remembered at once (the oldest is forgotten first). Default 1000. */
  maxMisses?: number;
  /**
   * Most by-id fetches for key ids named by untrusted JWTs (webhooks) per `fetchWindowSeconds`, across all key
   * ids; over it an unknown kid is refused without a call. Default 5.
   */
  maxFetchesPerWindow?: number;
  /** The sliding window of `maxFetchesPerWindow`, in seconds. Default 60. */
  fetchWindowSeconds?: number;
  /** The clock, in ms. Default `Date.now`. */
  now?: () => number;
}

/** Default {@link ApiKeyCacheOptions.maxFetchesPerWindow}. */
export const DEFAULT_MAX_KEY_FETCHES_PER_WINDOW = 5;
/** Default {@link ApiKeyCacheOptions.fetchWindowSeconds}. */
export const DEFAULT_KEY_FETCH_WINDOW_SECONDS = 60;

/** Where a key id to look up comes from. */
export interface KeyLookupOptions {
  /**
   * True when the kid comes from an answer of the API on the client's own connection (a response JWT): its fetch
   * is not counted against the fetch budget. Default false (a webhook JWT: anyone can send one).
   */
  trusted?: boolean;
}

/** Default {@link ApiKeyCacheOptions.missTtlSeconds}. */
export const DEFAULT_KEY_MISS_TTL_SECONDS = 60;
/** Default {@link ApiKeyCacheOptions.maxMisses}. */
export const DEFAULT_MAX_KEY_MISSES = 1000;

/**
 * Whether a failed by-id fetch is the API's answer about that key (remembered as a miss) rather than a passing
 * failure (network, timeout, 5xx: not remembered, so that a real new key is fetched again on the next JWT).
 */
function isDefinitiveMiss(err: unknown): err is UnexpectedAPIResponse {
  return err instanceof UnexpectedAPIResponse && typeof err.statusCode === 'number' && err.statusCode < 500;
}

/** An API public key and its id. */
export interface ApiPublicKey {
  kid: string;
  key: KeyObject;
}

/**
 * Caches the API's public keys. The current key is refreshed when older than `ttlSeconds` (default 300 s); every
 * key fetched is also kept by id for verifying JWTs, without expiry. A miss by id triggers one
 * `GET /public/v3/public-key/{kid}` (concurrent misses for one kid share it). The key id announced in
 * `X-IOV-KEY-ID` must be the id computed from the PEM (docs/protocol.md §3.2), else `UnexpectedAPIResponse`.
 *
 * Against forged JWTs (each new `kid` would otherwise cost one API call): a kid that is not a key id is refused
 * (`JWTValidationFailure`) before any call; a kid the API answers as unknown (404, or any other non-5xx
 * refusal) is remembered for `missTtlSeconds` (default 60 s; at most `maxMisses`, default 1000, ids): until then
 * the same error is thrown again without a call; and fetches for kids of untrusted JWTs (webhooks) are under one
 * budget for all key ids, `maxFetchesPerWindow` (default 5) in any `fetchWindowSeconds` (default 60 s): over it,
 * an unknown kid is refused (`JWTValidationFailure`) without a call. Keys already held never need a fetch, and
 * the key the API signs with is normally held already (fetched when the client verified an API answer, e.g. of
 * the `authorizationRequest` that the webhook answers).
 */
export class ApiKeyCache {
  private current: { value: ApiPublicKey; fetchedAt: number } | null = null;
  private currentInFlight: Promise<ApiPublicKey> | null = null;
  private readonly byId = new Map<string, KeyObject>();
  private readonly byIdInFlight = new Map<string, Promise<KeyObject>>();
  /** Unknown key ids: the error to throw again and until when (ms). Insertion order = age. */
  private readonly misses = new Map<string, { error: UnexpectedAPIResponse; until: number }>();
  private readonly ttlMs: number;
  private readonly missTtlMs: number;
  private readonly maxMisses: number;
  private readonly now: () => number;
  private readonly maxFetches: number;
  private readonly fetchWindowMs: number;
  /** Start times (ms) of the budgeted fetches within the window, oldest first. */
  private readonly budgetedFetches: number[] = [];

  constructor(
    private readonly http: HttpTransport,
    options: ApiKeyCacheOptions = {},
  ) {
    this.ttlMs = (options.ttlSeconds ?? API_CACHE_TIME) * 1000;
    this.missTtlMs = (options.missTtlSeconds ?? DEFAULT_KEY_MISS_TTL_SECONDS) * 1000;
    this.maxMisses = options.maxMisses ?? DEFAULT_MAX_KEY_MISSES;
    this.now = options.now ?? Date.now;
    this.maxFetches = options.maxFetchesPerWindow ?? DEFAULT_MAX_KEY_FETCHES_PER_WINDOW;
    this.fetchWindowMs = (options.fetchWindowSeconds ?? DEFAULT_KEY_FETCH_WINDOW_SECONDS) * 1000;
  }

  /** The current API encryption key, fetched when absent or older than the TTL. */
  async currentKey(): Promise<ApiPublicKey> {
    if (this.current && this.now() - this.current.fetchedAt < this.ttlMs) return this.current.value;
    if (!this.currentInFlight) {
      this.currentInFlight = this.fetch(PUBLIC_KEY_PATH, null)
        .then((value) => {
          this.current = { value, fetchedAt: this.now() };
          return value;
        })
        .finally(() => {
          this.currentInFlight = null;
        });
    }
    return this.currentInFlight;
  }

  /**
   * The API key with id `kid` (either case), fetched on a cache miss (one fetch per kid at a time; an untrusted
   * lookup only within the fetch budget).
   * @throws JWTValidationFailure when `kid` is not a key id, or the budget is spent (nothing is fetched)
   * @throws UnexpectedAPIResponse when the API does not serve that key (remembered for `missTtlSeconds`), or the
   *   fetch fails
   */
  async keyById(kid: string, options: KeyLookupOptions = {}): Promise<KeyObject> {
    if (!isKeyId(kid)) throw notAKeyIdError(kid);
    const id = kid.toLowerCase();
    const cached = this.byId.get(id);
    if (cached) return cached;
    const miss = this.misses.get(id);
    if (miss) {
      if (this.now() < miss.until) throw miss.error;
      this.misses.delete(id);
    }
    let pending = this.byIdInFlight.get(id);
    if (!pending) {
      if (options.trusted !== true) this.spendBudget(id);
      pending = this.fetch(publicKeyPathFor(id), id)
        .then((v) => v.key)
        .catch((err: unknown) => {
          if (isDefinitiveMiss(err)) this.rememberMiss(id, err);
          throw err;
        })
        .finally(() => this.byIdInFlight.delete(id));
      this.byIdInFlight.set(id, pending);
    }
    return pending;
  }

  /** Counts one untrusted fetch, or throws `JWTValidationFailure` when the window's budget is spent. */
  private spendBudget(id: string): void {
    const now = this.now();
    const windowStart = now - this.fetchWindowMs;
    while (this.budgetedFetches.length > 0 && (this.budgetedFetches[0] as number) <= windowStart) {
      this.budgetedFetches.shift();
    }
    if (this.budgetedFetches.length >= this.maxFetches) {
      throw new JWTValidationFailure(
        `the JWT key id ${id} is not a known API key, and the budget of ${this.maxFetches} key fetches per ` +
          `${this.fetchWindowMs / 1000} s for unknown key ids is spent; not fetched (a flood of forged JWTs?)`,
      );
    }
    this.budgetedFetches.push(now);
  }

  private rememberMiss(id: string, error: UnexpectedAPIResponse): void {
    this.misses.delete(id);
    while (this.misses.size >= this.maxMisses) {
      const oldest = this.misses.keys().next();
      if (oldest.done) break;
      this.misses.delete(oldest.value);
    }
    this.misses.set(id, { error, until: this.now() + this.missTtlMs });
  }

  /** Makes the next {@link currentKey} call fetch again (e.g. after the API signed with another key). */
  expireCurrentKey(): void {
    this.current = null;
  }

  private async fetch(path: string, expectedKid: string | null): Promise<ApiPublicKey> {
    const res: HttpResult = await this.http.send('GET', path);
    if (res.status === 404) throw new UnexpectedAPIResponse('Key was not found', 404, res.reason);
    if (res.status !== 200)
      throw new UnexpectedAPIResponse(`GET ${path} answered HTTP ${res.status}`, res.status, res.reason);
    const announced = res.headers['x-iov-key-id'];
    if (!announced)
      throw new UnexpectedAPIResponse(`GET ${path} answered without X-IOV-KEY-ID`, res.status, res.reason);
    if (expectedKid !== null && announced !== expectedKid) {
      throw new UnexpectedAPIResponse(
        `GET ${path} answered key ${announced}, not ${expectedKid}`,
        res.status,
        res.reason,
      );
    }
    let key: KeyObject;
    try {
      key = parseRsaPublicKey(res.body);
    } catch (err) {
      throw new UnexpectedAPIResponse(`GET ${path} answered a body that is not an RSA public key PEM`, res.status, err);
    }
    const computed = keyId(key);
    if (computed !== announced) {
      throw new UnexpectedAPIResponse(
        `GET ${path}: X-IOV-KEY-ID ${announced} is not the id of the key served (${computed})`,
        res.status,
        res.reason,
      );
    }
    const existing = this.byId.get(computed);
    if (existing) key = existing;
    else this.byId.set(computed, key);
    return { kid: computed, key };
  }
}
