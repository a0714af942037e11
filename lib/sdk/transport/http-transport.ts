/**
 * The HTTP layer of the transport (protocol.md 2): axios with redirects off, no decompression, raw text bodies,
 * size and time limits, and the SDK's User-Agent. It only moves bytes; every JOSE check lives in the callers.
 */
import { Agent as HttpsAgent } from 'node:https';
import * as os from 'node:os';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { SDK_VERSION } from '../constants';
import { UnexpectedAPIResponse } from '../errors';
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
  /** The axios instance; default a fresh `axios.create()`. */
  httpClient?: AxiosInstance | undefined;
}

/** `NodeServiceSDK/<SDK_VERSION> (<os.type()> <os.release()>)` (protocol.md 2.2). */
export const USER_AGENT = `NodeServiceSDK/${SDK_VERSION} (${os.type()} ${os.release()})`;

function flattenHeaders(headers: AxiosResponse['headers']): Record<string, string> {
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
  private httpsAgent: HttpsAgent | undefined;
  private readonly client: AxiosInstance;

  constructor(private readonly options: HttpTransportOptions) {
    this.client = options.httpClient ?? axios.create();
  }

  /** The base URL in use (`''` until {@link setUrl}). */
  get url(): string {
    return this.baseUrl;
  }

  /** Sets the base URL; `testing: true` turns TLS certificate verification off (local use only). */
  setUrl(url: string, testing: boolean): void {
    this.baseUrl = url.replace(/\/+$/, '');
    this.httpsAgent = testing ? new HttpsAgent({ rejectUnauthorized: false, keepAlive: true }) : undefined;
  }

  /**
   * Sends one request. `body`, when given, is sent verbatim with `Content-Type: application/jose`.
   * @param headers extra request headers (e.g. `Authorization`)
   */
  async send(method: HttpMethod, path: string, headers: Record<string, string> = {}, body?: string): Promise<HttpResult> {
    const url = this.baseUrl + path;
    const requestHeaders: Record<string, string> = { 'User-Agent': USER_AGENT, 'Accept-Encoding': 'identity', ...headers };
    if (body !== undefined) requestHeaders['Content-Type'] = 'application/jose';
    let res: AxiosResponse<string>;
    try {
      res = await this.client.request<string>({
        url,
        method,
        headers: requestHeaders,
        data: body,
        maxRedirects: 0,
        validateStatus: () => true,
        responseType: 'text',
        responseEncoding: 'utf8',
        transformRequest: [(data: unknown) => data],
        transformResponse: [(data: unknown) => data],
        decompress: false,
        maxContentLength: this.options.maxResponseBytes,
        maxBodyLength: this.options.maxResponseBytes,
        timeout: this.options.timeoutMs,
        httpsAgent: this.httpsAgent,
        proxy: false,
      });
    } catch (err) {
      throw new UnexpectedAPIResponse(`${method} ${url} failed: ${describe(err)}`, null, err);
    }
    const result: HttpResult = {
      status: res.status,
      reason: res.statusText ?? '',
      headers: flattenHeaders(res.headers),
      body: typeof res.data === 'string' ? res.data : res.data === undefined || res.data === null ? '' : String(res.data),
    };
    if (result.status >= 300 && result.status < 400) {
      throw new UnexpectedAPIResponse(`${method} ${url} answered a redirect (${result.status}); redirects are not followed`, result.status, result.reason);
    }
    const encoding = result.headers['content-encoding'];
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity' && encoding.trim() !== '') {
      throw new UnexpectedAPIResponse(`${method} ${url} answered with Content-Encoding ${encoding}; only identity is accepted`, result.status, result.reason);
    }
    return result;
  }
}
