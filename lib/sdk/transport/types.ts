/** The transport contract the clients use (docs/protocol.md §A1.5). The JOSE implementation is `JOSETransport`. */
import type { IssuerType } from '../constants';

/** The result of one ping of the API's public ping endpoint. */
export interface PingResult {
  /** The API's clock (`api_time`) as it answered. */
  apiTime: Date;
  /** Round-trip time of the ping exchange in ms (monotonic clock). */
  latencyMs: number;
  /**
   * Offset of the API clock from the local clock in ms (API minus local), taking the API time as read at the
   * middle of the round trip. Positive: the API clock is ahead.
   */
  clockOffsetMs: number;
}

/** HTTP methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A verified 2xx answer of a signed call. `data` is the decrypted JSON body, or null when the body was empty. */
export interface ApiResponse<T = unknown> {
  data: T;
  /** Response headers, names in lower case. */
  headers: Record<string, string>;
  statusCode: number;
  reason: string;
  /** The raw body as received (the JWE compact string), or `''`. */
  rawData: string;
}

/** Claims of a verified API-issued JWT (responses and webhooks). */
export interface VerifiedApiJwt {
  iss: string;
  aud: string;
  sub: string;
  iat: number;
  nbf: number;
  exp: number;
  jti?: string;
  request?: { meth: string; path: string; func?: string; hash?: string };
  response?: { status: number; func?: string; hash?: string; cache?: string; location?: string };
  [claim: string]: unknown;
}

/**
 * What clients need from a transport. Every method that talks to the API verifies the answer as docs/protocol.md §6.3
 * says, and throws the translated error class (docs/protocol.md §A2.1) for a non-2xx answer.
 */
export interface Transport {
  /** Sets the API base URL; `testing` disables TLS certificate verification. */
  setUrl(url: string, testing: boolean): void;
  /** Sets the signing identity: issuer type, entity id and PEM RSA private key (also a decryption key). */
  setIssuer(issuer: IssuerType, issuerId: string, privateKey: string): void;
  /** Adds a decryption-only private key; returns false when a key with the same id is already held. */
  addEncryptionPrivateKey(privateKey: string): boolean;
  /** The credential entity string, e.g. `dir:<uuid>` (the `iss` of requests, the `aud` of answers). */
  readonly issuer: string;
  /**
   * Offset of the API clock from the local clock in ms (API minus local), from the last ping; 0 before the first
   * signed call. Optional: custom transports may not measure it.
   */
  readonly serverTimeOffsetMs?: number;
  /**
   * Pings the API's public ping endpoint now (API time, round-trip time, clock offset). Optional: custom transports
   * may not offer it (clients' `ping()` then throw `InvalidParameters`).
   */
  ping?(): Promise<PingResult>;
  /** Sends a signed call; a non-empty `body` is sent as JWE-encrypted JSON. */
  request<T = unknown>(
    method: HttpMethod,
    path: string,
    subject: string,
    body?: Record<string, unknown>,
  ): Promise<ApiResponse<T>>;
  get<T = unknown>(path: string, subject: string): Promise<ApiResponse<T>>;
  post<T = unknown>(path: string, subject: string, body?: Record<string, unknown>): Promise<ApiResponse<T>>;
  put<T = unknown>(path: string, subject: string, body?: Record<string, unknown>): Promise<ApiResponse<T>>;
  patch<T = unknown>(path: string, subject: string, body?: Record<string, unknown>): Promise<ApiResponse<T>>;
  delete<T = unknown>(path: string, subject: string, body?: Record<string, unknown>): Promise<ApiResponse<T>>;
  /**
   * Decrypts a JWE addressed to this entity (key chosen by `kid`, docs/protocol.md §3.3); throws `EntityKeyNotFound`.
   */
  decryptResponse(jwe: string): Promise<string>;
  /** Decrypts a legacy base64 RSA-OAEP package with the held key whose id is `keyId`; throws `UnexpectedKeyID`. */
  decryptRsaResponse(ciphertextBase64: string, keyId: string): string;
  /**
   * Verifies an API-issued JWT carried by a webhook (docs/protocol.md §11.3 steps 2-6) against the expected subject,
   * HTTP method, request path and raw body. Throws `JWTValidationFailure` (or a transport error) on failure.
   */
  verifyJwtRequest(
    jwt: string,
    subject: string,
    method: string,
    path: string,
    body: string | Uint8Array,
  ): Promise<VerifiedApiJwt>;
  /** Parses an API ISO time to Unix seconds. */
  parseApiTime(value: string): number;
}
