/**
 * `JOSETransport`: the signed, encrypted transport of the TruValidate v3 API (docs/protocol.md §4-§8), port of the
 * Python SDK's `JOSETransport`. Requests are signed (request JWT) and their bodies encrypted to the API's current
 * key; every answer is verified in the order of docs/protocol.md §6.3 before its status or body is used.
 */
import { LAUNCHKEY_PRODUCTION, VALID_JWT_ISSUER_LIST, type IssuerType } from '../constants';
import { InvalidEntityID, InvalidIssuer, ServerError, UnexpectedAPIResponse, translateApiError } from '../errors';
import { isOneOf, parseIsoDate, parseUuid } from '../utils';
import { checkApiJwtHeader, verifyApiJwt } from './api-jwt';
import { ApiKeyCache } from './api-key-cache';
import { checkResponseBindings, checkWebhookBindings } from './bindings';
import { EntityKeyRing, parseEntityKey } from './entity-key-ring';
import { HttpTransport, type HttpResult } from './http-transport';
import { encryptJwe, isCompactJws } from './jose-primitives';
import { resolveTransportOptions, type JOSETransportOptions, type ResolvedTransportOptions } from './options';
import { buildRequestJwt } from './request-jwt';
import { ServerClock, type PingResult } from './server-clock';
import type { ApiResponse, HttpMethod, Transport, VerifiedApiJwt } from './types';

function parseJson(text: string): unknown {
  return JSON.parse(text) as unknown;
}

/**
 * The JOSE transport. Construct it with {@link JOSETransportOptions} (defaults: `RS256`, `RSA-OAEP-256`,
 * `A256CBC-HS512`, `S256`, 30 s timeout, 1 MiB response limit, API identifier `lka`; docs/protocol.md §13 OP-1/OP-2 are
 * followed where docs/protocol.md §A1.5 lists the Python defaults), then `setUrl` and `setIssuer` (factories do both).
 * Server time drift (ping) and the current API key are cached 300 s per instance; API keys by id for ever; key
 * ids the API does not know 60 s (a JWT whose `kid` is not a key id is refused without any API call); webhooks
 * naming unknown key ids cause at most 5 key fetches a minute (see `ApiKeyCache`).
 */
export class JOSETransport implements Transport {
  private readonly options: ResolvedTransportOptions;
  private readonly http: HttpTransport;
  private readonly clock: ServerClock;
  private readonly apiKeys: ApiKeyCache;
  private readonly keys = new EntityKeyRing();
  private issuerString = '';

  /** @throws InvalidAlgorithm for an unsupported algorithm option */
  constructor(options: JOSETransportOptions = {}) {
    this.options = resolveTransportOptions(options);
    this.http = new HttpTransport({
      timeoutMs: this.options.timeoutMs,
      maxResponseBytes: this.options.maxResponseBytes,
      adapter: this.options.httpAdapter,
      httpClient: this.options.httpClient,
    });
    this.http.setUrl(LAUNCHKEY_PRODUCTION, false);
    this.clock = new ServerClock(this.http);
    this.apiKeys = new ApiKeyCache(this.http);
  }

  /** The credential entity string (`iss` of requests, `aud` of answers), `''` until `setIssuer`. */
  get issuer(): string {
    return this.issuerString;
  }

  /** Offset of the API clock from the local clock in ms (API minus local), from the last ping; 0 before it. */
  get serverTimeOffsetMs(): number {
    return this.clock.offsetMilliseconds;
  }

  /**
   * Pings the API's public ping endpoint (`GET /public/v3/ping`, unsigned) now: its time, the round-trip time and
   * the clock offset, which also refreshes the cached offset used to check JWT times.
   * @throws UnexpectedAPIResponse when the API is unreachable, times out (`timeoutMs`) or answers unexpectedly
   */
  ping(): Promise<PingResult> {
    return this.clock.ping();
  }

  /** The API base URL in use. */
  get url(): string {
    return this.http.url;
  }

  /** Sets the API base URL (default `https://api.launchkey.com`); `testing` disables TLS verification. */
  setUrl(url: string, testing: boolean): void {
    this.http.setUrl(url, testing);
    this.clock.invalidate();
    this.apiKeys.expireCurrentKey();
  }

  /**
   * Sets the signing identity. `issuer` must be `svc`, `dir` or `org` (`InvalidIssuer`), `issuerId` a UUID
   * (`InvalidEntityID`), `privateKey` a PEM RSA private key of at least 2048 bits (`InvalidPrivateKey`). The key
   * also joins the decryption pool.
   */
  setIssuer(issuer: IssuerType, issuerId: string, privateKey: string): void {
    if (!isOneOf(VALID_JWT_ISSUER_LIST, issuer)) {
      throw new InvalidIssuer(
        `issuer type must be one of ${VALID_JWT_ISSUER_LIST.join(', ')}, got ${JSON.stringify(issuer)}`,
      );
    }
    const id = parseUuid(issuerId);
    if (!id) throw new InvalidEntityID(`issuer id must be a UUID, got ${JSON.stringify(issuerId)}`);
    const key = parseEntityKey(privateKey);
    this.keys.setSigningKey(key);
    this.issuerString = `${issuer}:${id}`;
  }

  /** Adds a decryption key (`InvalidPrivateKey` when unusable); false when a key with its id is already held. */
  addEncryptionPrivateKey(privateKey: string): boolean {
    return this.keys.addDecryptionKey(parseEntityKey(privateKey));
  }

  /** `GET` without body. */
  get<T = unknown>(path: string, subject: string): Promise<ApiResponse<T>> {
    return this.request<T>('GET', path, subject);
  }
  /** `POST`; a non-empty body is sent encrypted. */
  post<T = unknown>(path: string, subject: string, body?: Record<string, unknown>): Promise<ApiResponse<T>> {
    return this.request<T>('POST', path, subject, body);
  }
  /** `PUT`; a non-empty body is sent encrypted. */
  put<T = unknown>(path: string, subject: string, body?: Record<string, unknown>): Promise<ApiResponse<T>> {
    return this.request<T>('PUT', path, subject, body);
  }
  /** `PATCH`; a non-empty body is sent encrypted. */
  patch<T = unknown>(path: string, subject: string, body?: Record<string, unknown>): Promise<ApiResponse<T>> {
    return this.request<T>('PATCH', path, subject, body);
  }
  /** `DELETE`; a non-empty body is sent encrypted. */
  delete<T = unknown>(path: string, subject: string, body?: Record<string, unknown>): Promise<ApiResponse<T>> {
    return this.request<T>('DELETE', path, subject, body);
  }

  /**
   * Sends a signed call and verifies the answer (docs/protocol.md §6.3). 2xx: the decrypted JSON (or null for an
   * empty body). Otherwise throws the translated error (docs/protocol.md §A2.1), `JWTValidationFailure` or
   * `UnexpectedAPIResponse` for an answer that fails verification, `ServerError` for a 5xx without JWT.
   */
  async request<T = unknown>(
    method: HttpMethod,
    path: string,
    subject: string,
    body?: Record<string, unknown>,
  ): Promise<ApiResponse<T>> {
    const signingKey = this.keys.signingKey();
    const now = await this.clock.now();
    let payload: string | undefined;
    if (body !== undefined && body !== null && Object.keys(body).length > 0) {
      const apiKey = await this.apiKeys.currentKey();
      const cty = this.options.jweCekEncryption === 'RSA-OAEP-256' ? 'application/json' : undefined;
      payload = await encryptJwe(JSON.stringify(body), apiKey.key, apiKey.kid, this.options.jweCekEncryption, cty);
    }
    const jwt = await buildRequestJwt({
      issuer: this.issuerString,
      subject,
      audience: this.options.apiIdentifier,
      method,
      path,
      body: payload,
      now,
      algorithm: this.options.jwtAlgorithm,
      hashAlgorithm: this.options.contentHashAlgorithm,
      signingKey,
    });
    const res = await this.http.send(method, path, { Authorization: `IOV-JWT ${jwt.token}` }, payload);
    return this.handleResponse<T>(res, subject, jwt.jti);
  }

  private async handleResponse<T>(res: HttpResult, subject: string, jti: string): Promise<ApiResponse<T>> {
    // 401 short-cut (docs/protocol.md §13 OP-8): the JWT is not verified; a readable known error code still maps.
    // The cached server time offset is dropped so that the next call pings again (a stale drift makes every
    // request JWT look expired to the API until the cache would otherwise expire).
    if (res.status === 401) {
      this.clock.invalidate();
      throw translateApiError(await this.readErrorBody(res.body), 401, res.reason);
    }
    const token = res.headers['x-iov-jwt'];
    if (token === undefined && res.status >= 500)
      throw new ServerError(res.reason || `HTTP ${res.status}`, res.status, res.reason);
    if (token === undefined || !isCompactJws(token)) {
      throw new UnexpectedAPIResponse(
        `the answer (HTTP ${res.status}) has no valid X-IOV-JWT header`,
        res.status,
        res.reason,
      );
    }
    // The kid comes from the API's own answer: its fetch does not spend the budget meant for webhooks.
    const claims = await verifyApiJwt(token, (kid) => this.apiKeys.keyById(kid, { trusted: true }), {
      issuer: this.options.apiIdentifier,
      audience: this.issuerString,
      subject,
      jti,
      now: this.clock.cachedNow(),
    });
    checkResponseBindings(claims, res.status, res.headers, res.body);
    if (res.status >= 200 && res.status < 300) {
      let data: unknown = null;
      if (res.body.length > 0) {
        const text = await this.keys.decrypt(res.body);
        try {
          data = parseJson(text);
        } catch (err) {
          throw new UnexpectedAPIResponse('the decrypted answer is not JSON', res.status, err);
        }
      }
      return { data: data as T, headers: res.headers, statusCode: res.status, reason: res.reason, rawData: res.body };
    }
    throw translateApiError(await this.readErrorBody(res.body), res.status, res.reason);
  }

  /** Error body of a verified error answer: a JWE that decrypts, plain JSON, or nothing (null). */
  private async readErrorBody(body: string): Promise<unknown> {
    if (body.trim() === '') return null;
    try {
      return parseJson(await this.keys.decrypt(body));
    } catch {
      try {
        return parseJson(body);
      } catch {
        return null;
      }
    }
  }

  /**
   * Decrypts a JWE addressed to this entity (key by `kid`, docs/protocol.md §3.3). `EntityKeyNotFound` for an unknown
   * kid; `UnexpectedAPIResponse` when it does not decrypt.
   */
  decryptResponse(jwe: string): Promise<string> {
    return this.keys.decrypt(jwe);
  }

  /** Decrypts a legacy base64 RSA-OAEP package with the held key `keyId` (`UnexpectedKeyID` when unknown). */
  decryptRsaResponse(ciphertextBase64: string, keyId: string): string {
    return this.keys.decryptRsa(ciphertextBase64, keyId);
  }

  /** Ids of every held decryption key (the signing key included). */
  decryptionKeyIds(): string[] {
    return this.keys.keyIds();
  }

  /**
   * Verifies a webhook's `X-IOV-JWT` (docs/protocol.md §11.3 steps 2-6): kid and signature, `iss` = API identifier,
   * `aud` = own issuer, `sub` = `subject`, nbf/exp/iat within 30 s on the drift-corrected clock,
   * `request.meth` = `method`, `request.path` = `path`, body hash binding. Throws `JWTValidationFailure`,
   * `InvalidJWTResponse`, or `UnexpectedAPIResponse` when the key cannot be fetched.
   */
  async verifyJwtRequest(
    jwt: string,
    subject: string,
    method: string,
    path: string,
    body: string | Uint8Array,
  ): Promise<VerifiedApiJwt> {
    // A malformed token or kid is refused before any API call (clock ping or key fetch).
    checkApiJwtHeader(jwt);
    const now = await this.clock.now();
    const claims = await verifyApiJwt(jwt, (kid) => this.apiKeys.keyById(kid), {
      issuer: this.options.apiIdentifier,
      audience: this.issuerString,
      subject,
      now,
    });
    checkWebhookBindings(claims, method, path, body);
    return claims;
  }

  /** Parses an API ISO time to Unix seconds (`UnexpectedAPIResponse` when unparsable). */
  parseApiTime(value: string): number {
    const date = parseIsoDate(value);
    if (!date) throw new UnexpectedAPIResponse(`${JSON.stringify(value)} is not an ISO 8601 time`);
    return Math.floor(date.getTime() / 1000);
  }
}
