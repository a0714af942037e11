/**
 * A minimal signing client for emulator tests, built on the shared JOSE primitives (the SDK's transport is
 * tested separately). It can be told to break any part of a request, to test the emulator's verification.
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import type { ContentHashAlgorithm, JweAlgorithm, JwtAlgorithm } from '../../../lib/sdk/constants';
import {
  contentHash,
  decodeHeader,
  decryptJwe,
  encryptJwe,
  signJwt,
  verifyJwt,
} from '../../../lib/sdk/transport/jose-primitives';
import { keyId, parseRsaPrivateKey, parseRsaPublicKey } from '../../../lib/sdk/transport/keys';

/** Options that shape (or break) one signed request. */
export interface SignedRequestOptions {
  method: string;
  path: string;
  /** JSON body to encrypt; omitted = no body. */
  body?: Record<string, unknown>;
  /** Text to encrypt as the body instead of JSON. */
  plaintext?: string;
  /** Public key to encrypt the body to instead of the API's current key. */
  encryptTo?: { kid: string; key: KeyObject };
  iss: string;
  sub: string;
  signingKey: KeyObject;
  alg?: JwtAlgorithm;
  kid?: string;
  /** Overrides / extra claims merged into the JWT claims. */
  claims?: Record<string, unknown>;
  /** Overrides merged into the `request` claim. */
  request?: Record<string, unknown>;
  func?: ContentHashAlgorithm;
  jweAlg?: JweAlgorithm;
  /** Seconds added to iat/nbf/exp. */
  timeOffset?: number;
  contentType?: string;
  /** Replaces the raw body bytes after the JWT was built. */
  rawBody?: string;
  /** Replaces the path of the URL (the JWT keeps `path`). */
  urlPath?: string;
  /** Mangles the compact token. */
  tamper?: (token: string) => string;
  /** Full Authorization header value. */
  authorization?: string;
}

/** A raw HTTP answer. */
export interface RawAnswer {
  status: number;
  headers: Headers;
  body: string;
  jti: string;
}

/** Talks to an emulator at `url` with the API encryption key fetched from `/public/v3/public-key`. */
export class TestClient {
  private apiEncKey: { kid: string; key: KeyObject } | null = null;
  private readonly apiKeys = new Map<string, KeyObject>();

  constructor(readonly url: string) {}

  /** The current API encryption key (cached). */
  async currentKey(): Promise<{ kid: string; key: KeyObject }> {
    if (!this.apiEncKey) {
      const res = await fetch(`${this.url}/public/v3/public-key`);
      const kid = res.headers.get('x-iov-key-id');
      if (!kid) throw new Error('no X-IOV-KEY-ID');
      this.apiEncKey = { kid, key: parseRsaPublicKey(await res.text()) };
    }
    return this.apiEncKey;
  }

  /** An API public key by id (cached). */
  async apiKey(kid: string): Promise<KeyObject> {
    let key = this.apiKeys.get(kid);
    if (!key) {
      const res = await fetch(`${this.url}/public/v3/public-key/${kid}`);
      if (res.status !== 200) throw new Error(`public key ${kid}: ${res.status}`);
      key = parseRsaPublicKey(await res.text());
      this.apiKeys.set(kid, key);
    }
    return key;
  }

  /** Sends one signed request, shaped by `o`. */
  async send(o: SignedRequestOptions): Promise<RawAnswer> {
    let body = '';
    if (o.body !== undefined || o.plaintext !== undefined) {
      const { kid, key } = o.encryptTo ?? (await this.currentKey());
      body = await encryptJwe(o.plaintext ?? JSON.stringify(o.body), key, kid, o.jweAlg ?? 'RSA-OAEP-256');
    }
    const now = Math.floor(Date.now() / 1000) + (o.timeOffset ?? 0);
    const jti = randomUUID();
    const request: Record<string, unknown> = { meth: o.method, path: o.path };
    if (body !== '') {
      const func = o.func ?? 'S256';
      request['func'] = func;
      request['hash'] = contentHash(func, body);
    }
    Object.assign(request, o.request ?? {});
    const claims: Record<string, unknown> = {
      iss: o.iss,
      sub: o.sub,
      aud: 'lka',
      iat: now,
      nbf: now,
      exp: now + 5,
      jti,
      request,
      ...(o.claims ?? {}),
    };
    let token = await signJwt(claims, o.signingKey, o.alg ?? 'RS256', o.kid ?? keyId(o.signingKey));
    if (o.tamper) token = o.tamper(token);
    const headers: Record<string, string> = { Authorization: o.authorization ?? `IOV-JWT ${token}` };
    if (o.contentType) headers['Content-Type'] = o.contentType;
    const raw = o.rawBody ?? body;
    const res = await fetch(`${this.url}${o.urlPath ?? o.path}`, {
      method: o.method,
      headers,
      body: raw === '' ? undefined : raw,
    });
    return { status: res.status, headers: res.headers, body: await res.text(), jti: String(claims['jti']) };
  }

  /** Verifies a response JWT (signature by kid, iss lka) and returns its claims. */
  async responseClaims(answer: RawAnswer): Promise<Record<string, unknown>> {
    const jwt = answer.headers.get('x-iov-jwt');
    if (!jwt) throw new Error('no X-IOV-JWT');
    const kid = decodeHeader(jwt).kid;
    if (typeof kid !== 'string') throw new Error('no kid');
    const { claims } = await verifyJwt(jwt, await this.apiKey(kid));
    return claims;
  }

  /** Decrypts a JWE body with one of the given private keys (by kid). */
  static async decrypt(jwe: string, keys: KeyObject[]): Promise<unknown> {
    const kid = decodeHeader(jwe).kid;
    const key = keys.find((k) => keyId(k) === kid);
    if (!key) throw new Error(`no key ${String(kid)}`);
    return JSON.parse(await decryptJwe(jwe, key));
  }
}

/** Parses a PEM private key. */
export function privateKey(pem: string): KeyObject {
  return parseRsaPrivateKey(pem);
}
