/**
 * The HTTP layer of the transport (docs/protocol.md 2): axios (the default: the SDK's own instance, whose axios
 * adapter is the SDK's `node:http` exchange, or a caller-supplied instance used with its own adapter) or, on
 * request, the plain `node:http`/`node:https` exchange with keep-alive agents without axios. All follow the same rules:
 * redirects off, no decompression, raw text bodies, size and time limits, verbatim paths, the SDK's User-Agent.
 * It only moves bytes; every JOSE check lives in the callers.
 */
import { Agent as HttpsAgent } from 'node:https';
import * as os from 'node:os';
import type { AxiosInstance } from 'axios';
import { SDK_VERSION } from '../constants';
import { InvalidParameters, UnexpectedAPIResponse } from '../errors';
import { logExchange, logExchangeFailure } from '../log';
import { isOneOf } from '../utils';
import { axiosExchange } from './axios-exchange';
import {
  exchange,
  exchangeTarget,
  type ExchangeAnswer,
  type ExchangeLimits,
  type ExchangeTarget,
} from './node-http-exchange';
import { createSdkAxios } from './sdk-axios';
import type { HttpMethod } from './types';

/** One HTTP answer: status, reason phrase, headers with lower-case names, and the body as text. */
export interface HttpResult {
  status: number;
  reason: string;
  headers: Record<string, string>;
  body: string;
}

/** Settings of an {@link HttpTransport}. */
export interface HttpTransportOptions {
  /** Overall timeout of one exchange in ms. */
  timeoutMs: number;
  /** Largest accepted response (and request) body in bytes. */
  maxResponseBytes: number;
  /**
   * Which HTTP layer sends the requests: `'axios'` (default) or `'node'` (plain `node:http`/`node:https` with
   * shared keep-alive agents; see `JOSETransportOptions.httpAdapter`).
   */
  adapter?: HttpAdapter | undefined;
  /**
   * The caller's axios instance for the `'axios'` adapter, used with its own axios adapter and settings (each call
   * still sets the SDK's limits). Default: the SDK's own instance (see `sdk-axios.ts`). Not allowed with `'node'`.
   */
  httpClient?: AxiosInstance | undefined;
}

/** The HTTP layers the transport can send through. */
export type HttpAdapter = 'axios' | 'node';

/** Every {@link HttpAdapter} name. */
export const HTTP_ADAPTERS: readonly HttpAdapter[] = ['axios', 'node'];

/**
 * Checks the HTTP layer choice: `adapter` (default `'axios'`) must be one of {@link HTTP_ADAPTERS}, and an axios
 * `httpClient` needs the `'axios'` adapter. Returns the adapter.
 * @throws InvalidParameters otherwise
 */
export function resolveHttpAdapter(adapter: unknown, httpClient: AxiosInstance | undefined): HttpAdapter {
  const chosen = adapter ?? 'axios';
  if (!isOneOf(HTTP_ADAPTERS, chosen)) {
    throw new InvalidParameters(
      `httpAdapter ${JSON.stringify(chosen)} is not supported; use one of ${HTTP_ADAPTERS.join(', ')}`,
    );
  }
  if (chosen === 'node' && httpClient !== undefined)
    throw new InvalidParameters("httpClient (an axios instance) needs httpAdapter 'axios', not 'node'");
  return chosen;
}

/** `NodeServiceSDK/<SDK_VERSION> (<os.type()> <os.release()>)` (docs/protocol.md §2.2). */
export const USER_AGENT = `NodeServiceSDK/${SDK_VERSION} (${os.type()} ${os.release()})`;

function flattenHeaders(headers: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.map(String).join(', ') : String(value);
  }
  return out;
}

function describe(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; message?: unknown };
    const code = typeof e.code === 'string' ? `${e.code}: ` : '';
    return `${code}${typeof e.message === 'string' ? e.message : String(err)}`;
  }
  return String(err);
}

/**
 * Sends requests to `base URL + path` (verbatim, no normalisation: `:` in key ids stays raw) and returns the
 * answer as text. Refuses redirects (a 3xx is `UnexpectedAPIResponse`), encoded bodies (`Content-Encoding` other
 * than identity) and oversize bodies; network failures and timeouts become `UnexpectedAPIResponse` naming the URL.
 */
export class HttpTransport {
  private baseUrl = '';
  private target: ExchangeTarget | Error = new Error('no base URL set');
  private httpsAgent: HttpsAgent | undefined;
  /** The caller's axios instance (`httpClient`), used with per-call settings; undefined otherwise. */
  private readonly client: AxiosInstance | undefined;
  /** The SDK's own axios instance of the default `'axios'` adapter; undefined for `'node'` or with `httpClient`. */
  private readonly sdkAxios: AxiosInstance | undefined;
  private readonly limits: ExchangeLimits;

  /**
   * @throws InvalidParameters when `httpClient` is given with the `'node'` adapter, or the adapter is unknown
   */
  constructor(options: HttpTransportOptions) {
    const adapter = resolveHttpAdapter(options.adapter, options.httpClient);
    this.limits = { timeoutMs: options.timeoutMs, maxBodyBytes: options.maxResponseBytes };
    this.client = options.httpClient;
    this.sdkAxios =
      adapter === 'axios' && !options.httpClient ? createSdkAxios(() => this.target, this.limits) : undefined;
  }

  /** The base URL in use (`''` until {@link setUrl}). */
  get url(): string {
    return this.baseUrl;
  }

  /** Sets the base URL; `testing: true` turns TLS certificate verification off (local use only). */
  setUrl(url: string, testing: boolean): void {
    this.baseUrl = url.replace(/\/+$/, '');
    this.httpsAgent = undefined;
    if (this.client) {
      this.httpsAgent = testing ? new HttpsAgent({ rejectUnauthorized: false, keepAlive: true }) : undefined;
      return;
    }
    try {
      this.target = exchangeTarget(this.baseUrl, testing);
    } catch (err) {
      // Reported by the first send, as an UnexpectedAPIResponse naming the URL.
      this.target = err instanceof Error ? err : new Error(String(err));
    }
  }

  /**
   * Sends one request. `body`, when given, is sent verbatim with `Content-Type: application/jose`.
   * @param headers extra request headers (e.g. `Authorization`)
   */
  async send(
    method: HttpMethod,
    path: string,
    headers: Record<string, string> = {},
    body?: string,
  ): Promise<HttpResult> {
    const url = this.baseUrl + path;
    const requestHeaders: Record<string, string> = {
      'User-Agent': USER_AGENT,
      'Accept-Encoding': 'identity',
      ...headers,
    };
    if (body !== undefined) requestHeaders['Content-Type'] = 'application/jose';
    let result: HttpResult;
    const started = performance.now();
    try {
      const answer = this.sdkAxios
        ? await this.sdkAxiosExchange(this.sdkAxios, method, path, requestHeaders, body)
        : this.client
          ? await axiosExchange(this.client, url, method, requestHeaders, body, this.limits, this.httpsAgent)
          : await this.nodeExchange(method, path, requestHeaders, body);
      result = {
        status: answer.status,
        reason: answer.reason,
        headers: flattenHeaders(answer.headers),
        body: answer.body,
      };
      logExchange(method, path, result.status, performance.now() - started);
    } catch (err) {
      logExchangeFailure(method, path, err, performance.now() - started);
      throw new UnexpectedAPIResponse(`${method} ${url} failed: ${describe(err)}`, null, err);
    }
    if (result.status >= 300 && result.status < 400) {
      throw new UnexpectedAPIResponse(
        `${method} ${url} answered a redirect (${result.status}); redirects are not followed`,
        result.status,
        result.reason,
      );
    }
    const encoding = result.headers['content-encoding'];
    const coding = encoding?.trim().toLowerCase();
    if (coding !== undefined && coding !== '' && coding !== 'identity') {
      throw new UnexpectedAPIResponse(
        `${method} ${url} answered with Content-Encoding ${encoding}; only identity is accepted`,
        result.status,
        result.reason,
      );
    }
    return result;
  }

  private async sdkAxiosExchange(
    client: AxiosInstance,
    method: HttpMethod,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<ExchangeAnswer> {
    // The SDK's own adapter answers with the exchange itself as the response data (see sdk-axios.ts).
    return (await client.request<ExchangeAnswer>({ url: path, method, headers, data: body })).data;
  }

  private nodeExchange(
    method: HttpMethod,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<ExchangeAnswer> {
    if (this.target instanceof Error) return Promise.reject(this.target);
    return exchange(this.target, method, path, headers, body, this.limits);
  }
}
