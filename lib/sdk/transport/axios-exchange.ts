/**
 * One HTTP exchange through axios (the default HTTP adapter, with a fresh instance or the caller's `httpClient`):
 * the same rules as the `node:http` adapter (no redirects, no decompression, text bodies, size and time limits),
 * enforced through the per-call axios settings so that the instance's own defaults cannot loosen them.
 */
import type { Agent as HttpsAgent } from 'node:https';
import type { AxiosInstance, AxiosResponse } from 'axios';
import { bodyTooLargeError, exchangeTimeoutError, type ExchangeLimits } from './node-http-exchange';

/** Status, reason phrase, headers as axios gives them, and the body as text. */
export interface AxiosAnswer {
  status: number;
  reason: string;
  headers: AxiosResponse['headers'];
  body: string;
}

/**
 * Sends one request through `client` to the absolute `url`; rejects with axios' own error on network failures and
 * oversize answers, and (as the `node` adapter does) refuses an oversize request body before sending.
 *
 * `limits.timeoutMs` bounds the whole exchange: axios' own `timeout` only watches socket inactivity once connected,
 * so an answer dripping one byte a second would never end. Our own timer aborts the request (socket destroyed)
 * through an `AbortSignal` and the call rejects with {@link exchangeTimeoutError}; the timer is cleared when the
 * exchange ends either way.
 * @param httpsAgent the agent for `https:` URLs (undefined: the instance's default)
 */
export async function axiosExchange(
  client: AxiosInstance,
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  limits: ExchangeLimits,
  httpsAgent: HttpsAgent | undefined,
): Promise<AxiosAnswer> {
  if (body !== undefined && Buffer.byteLength(body, 'utf8') > limits.maxBodyBytes)
    throw bodyTooLargeError('request', limits.maxBodyBytes);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, limits.timeoutMs);
  let res: AxiosResponse<string>;
  try {
    res = await client.request<string>({
      url,
      method,
      headers,
      data: body,
      maxRedirects: 0,
      validateStatus: () => true,
      responseType: 'text',
      responseEncoding: 'utf8',
      transformRequest: [(data: unknown) => data],
      transformResponse: [(data: unknown) => data],
      decompress: false,
      maxContentLength: limits.maxBodyBytes,
      maxBodyLength: limits.maxBodyBytes,
      timeout: 0,
      signal: controller.signal,
      httpsAgent,
      proxy: false,
    });
  } catch (err) {
    if (timedOut) throw exchangeTimeoutError(limits.timeoutMs);
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return {
    status: res.status,
    reason: res.statusText ?? '',
    headers: res.headers,
    body: typeof res.data === 'string' ? res.data : res.data === undefined || res.data === null ? '' : String(res.data),
  };
}
