/** The API's public keys: the current encryption key (300 s) and keys by id (no expiry) (protocol.md 7.2). */
import type { KeyObject } from 'node:crypto';
import { API_CACHE_TIME } from '../constants';
import { UnexpectedAPIResponse } from '../errors';
import type { HttpTransport, HttpResult } from './http-transport';
import { keyId, parseRsaPublicKey } from './keys';

/** Path of the current API public key. */
export const PUBLIC_KEY_PATH = '/public/v3/public-key';

/** An API public key and its id. */
export interface ApiPublicKey {
  kid: string;
  key: KeyObject;
}

/**
 * Caches the API's public keys. The current key is refreshed when older than `ttlSeconds` (default 300 s); every
 * key fetched is also kept by id for verifying JWTs, without expiry. A miss by id triggers one
 * `GET /public/v3/public-key/{kid}` (concurrent misses share it). The key id announced in `X-IOV-KEY-ID` must be
 * the id computed from the PEM (protocol.md 3.2), else `UnexpectedAPIResponse`.
 */
export class ApiKeyCache {
  private current: { value: ApiPublicKey; fetchedAt: number } | null = null;
  private currentInFlight: Promise<ApiPublicKey> | null = null;
  private readonly byId = new Map<string, KeyObject>();
  private readonly byIdInFlight = new Map<string, Promise<KeyObject>>();

  constructor(
    private readonly http: HttpTransport,
    private readonly ttlSeconds: number = API_CACHE_TIME,
  ) {}

  /** The current API encryption key, fetched when absent or older than the TTL. */
  async currentKey(): Promise<ApiPublicKey> {
    if (this.current && Date.now() - this.current.fetchedAt < this.ttlSeconds * 1000) return this.current.value;
    if (!this.currentInFlight) {
      this.currentInFlight = this.fetch(PUBLIC_KEY_PATH, null)
        .then((value) => {
          this.current = { value, fetchedAt: Date.now() };
          return value;
        })
        .finally(() => {
          this.currentInFlight = null;
        });
    }
    return this.currentInFlight;
  }

  /** The API key with id `kid`, fetched on a cache miss. */
  async keyById(kid: string): Promise<KeyObject> {
    const cached = this.byId.get(kid);
    if (cached) return cached;
    let pending = this.byIdInFlight.get(kid);
    if (!pending) {
      pending = this.fetch(`${PUBLIC_KEY_PATH}/${kid}`, kid)
        .then((v) => v.key)
        .finally(() => this.byIdInFlight.delete(kid));
      this.byIdInFlight.set(kid, pending);
    }
    return pending;
  }

  /** Makes the next {@link currentKey} call fetch again (e.g. after the API signed with another key). */
  expireCurrentKey(): void {
    this.current = null;
  }

  private async fetch(path: string, expectedKid: string | null): Promise<ApiPublicKey> {
    const res: HttpResult = await this.http.send('GET', path);
    if (res.status === 404) throw new UnexpectedAPIResponse('Key was not found', 404, res.reason);
    if (res.status !== 200) throw new UnexpectedAPIResponse(`GET ${path} answered HTTP ${res.status}`, res.status, res.reason);
    const announced = res.headers['x-iov-key-id'];
    if (!announced) throw new UnexpectedAPIResponse(`GET ${path} answered without X-IOV-KEY-ID`, res.status, res.reason);
    if (expectedKid !== null && announced !== expectedKid) {
      throw new UnexpectedAPIResponse(`GET ${path} answered key ${announced}, not ${expectedKid}`, res.status, res.reason);
    }
    let key: KeyObject;
    try {
      key = parseRsaPublicKey(res.body);
    } catch (err) {
      throw new UnexpectedAPIResponse(`GET ${path} answered a body that is not an RSA public key PEM`, res.status, err);
    }
    const computed = keyId(key);
    if (computed !== announced) {
      throw new UnexpectedAPIResponse(`GET ${path}: X-IOV-KEY-ID ${announced} is not the id of the key served (${computed})`, res.status, res.reason);
    }
    const existing = this.byId.get(computed);
    if (existing) key = existing;
    else this.byId.set(computed, key);
    return { kid: computed, key };
  }
}
