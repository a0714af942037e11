/** Options of {@link JOSETransport} and their validation (docs/protocol.md §13 OP-1, OP-2, OP-24). */
import type { AxiosInstance } from 'axios';
import {
  JOSE_AUDIENCE,
  JOSE_SUPPORTED_CONTENT_HASH_ALGS,
  JOSE_SUPPORTED_JWE_ALGS,
  JOSE_SUPPORTED_JWE_ENCS,
  JOSE_SUPPORTED_JWT_ALGS,
  type ContentHashAlgorithm,
  type JweAlgorithm,
  type JweEncryption,
  type JwtAlgorithm,
} from '../constants';
import { InvalidAlgorithm, InvalidParameters } from '../errors';
import { isOneOf } from '../utils';
import { resolveHttpAdapter, type HttpAdapter } from './http-transport';

/**
 * Options of a {@link JOSETransport}.
 *
 * The defaults follow docs/protocol.md §13 OP-1 and OP-2 (`RS256` request signatures, `RSA-OAEP-256` with
 * `cty: application/json` for request bodies, as the Java SDK does) where docs/protocol.md §A1.5 lists the Python SDK's
 * defaults (`RS512`, `RSA-OAEP` without `cty`). Both Python choices remain available through these options.
 */
export interface JOSETransportOptions {
  /** Signature algorithm of request JWTs: `RS256` (default), `RS384` or `RS512`. Others: `InvalidAlgorithm`. */
  jwtAlgorithm?: JwtAlgorithm;
  /**
   * Key-management algorithm of request body JWEs: `RSA-OAEP-256` (default; the header then carries
   * `cty: application/json`) or `RSA-OAEP` (Python SDK form, no `cty`). Others: `InvalidAlgorithm`.
   */
  jweCekEncryption?: JweAlgorithm;
  /** Content-encryption algorithm of request body JWEs: only `A256CBC-HS512` (the default). */
  jweClaimsEncryption?: JweEncryption;
  /** Hash function binding request bodies into the JWT: `S256` (default), `S384` or `S512`. */
  contentHashAlgorithm?: ContentHashAlgorithm;
  /**
   * Time limit of one HTTP exchange in ms, from the start of the request to the last byte of the answer (connect,
   * send, headers and the whole body; not an idle timeout). Then the request is aborted and the call rejects with
   * `UnexpectedAPIResponse`. Default 30000.
   */
  timeoutMs?: number;
  /** Largest response body accepted, in bytes; a larger one is `UnexpectedAPIResponse`. Default 1 MiB. */
  maxResponseBytes?: number;
  /** The API's identifier: `aud` of requests, expected `iss` of responses and webhooks. Default `lka`. */
  apiIdentifier?: string;
  /**
   * The HTTP layer: `'axios'` (default; the axios HTTP adapter) or `'node'` (plain `node:http` /
   * `node:https` requests with shared keep-alive agents, without axios). With `'axios'` and no `httpClient`, the
   * SDK uses one axios instance per transport, created once with every fixed setting, whose axios adapter is the
   * SDK's `node:http` exchange (axios' own `http` adapter costs about 0.25 ms of CPU per exchange more). All
   * follow the same rules: no redirects (a 3xx is `UnexpectedAPIResponse`), no decompression
   * (`Accept-Encoding: identity`, an encoded answer is refused), the `maxResponseBytes` limit on request and answer
   * bodies, the `timeoutMs` limit on the whole exchange, and the path sent verbatim (raw `:` in key ids). They
   * differ in client CPU (`npm run bench` prints both) and in axios' default `Accept` header.
   */
  httpAdapter?: HttpAdapter;
  /**
   * Your axios instance for the `'axios'` adapter (proxies, agents, interceptors), used with its own axios adapter.
   * Default: the SDK's own instance (see `httpAdapter`). Whatever its defaults, every call sets `maxRedirects: 0`,
   * `validateStatus`, `responseType: 'text'`, `decompress: false`, `proxy: false`, the size limits and an abort
   * signal for `timeoutMs`. Giving it with `httpAdapter: 'node'` is `InvalidParameters`.
   */
  httpClient?: AxiosInstance;
}

/** Options after defaults are applied and values checked. */
export interface ResolvedTransportOptions {
  jwtAlgorithm: JwtAlgorithm;
  jweCekEncryption: JweAlgorithm;
  jweClaimsEncryption: JweEncryption;
  contentHashAlgorithm: ContentHashAlgorithm;
  timeoutMs: number;
  maxResponseBytes: number;
  apiIdentifier: string;
  httpAdapter: HttpAdapter;
  httpClient: AxiosInstance | undefined;
}

/** Default response size limit: 1 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
/** Default HTTP timeout: 30 s. */
export const DEFAULT_TIMEOUT_MS = 30_000;

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (isOneOf(allowed, value)) return value;
  throw new InvalidAlgorithm(`${name} ${JSON.stringify(value)} is not supported; use one of ${allowed.join(', ')}`);
}

function positive(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidParameters(`${name} must be a positive number, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Applies the defaults and checks every option: unsupported algorithms throw `InvalidAlgorithm`; other bad values
 * (empty `apiIdentifier`, non-positive limits, unknown `httpAdapter`, `httpClient` with `'node'`) `InvalidParameters`.
 */
export function resolveTransportOptions(options: JOSETransportOptions = {}): ResolvedTransportOptions {
  const apiIdentifier = options.apiIdentifier ?? JOSE_AUDIENCE;
  if (typeof apiIdentifier !== 'string' || apiIdentifier === '')
    throw new InvalidParameters('apiIdentifier must be a non-empty string');
  const httpAdapter = resolveHttpAdapter(options.httpAdapter, options.httpClient);
  return {
    jwtAlgorithm: oneOf('jwtAlgorithm', options.jwtAlgorithm, JOSE_SUPPORTED_JWT_ALGS, 'RS256'),
    jweCekEncryption: oneOf('jweCekEncryption', options.jweCekEncryption, JOSE_SUPPORTED_JWE_ALGS, 'RSA-OAEP-256'),
    jweClaimsEncryption: oneOf(
      'jweClaimsEncryption',
      options.jweClaimsEncryption,
      JOSE_SUPPORTED_JWE_ENCS,
      'A256CBC-HS512',
    ),
    contentHashAlgorithm: oneOf(
      'contentHashAlgorithm',
      options.contentHashAlgorithm,
      JOSE_SUPPORTED_CONTENT_HASH_ALGS,
      'S256',
    ),
    timeoutMs: positive('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS),
    maxResponseBytes: positive('maxResponseBytes', options.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES),
    apiIdentifier,
    httpAdapter,
    httpClient: options.httpClient,
  };
}
