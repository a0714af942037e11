/**
 * One HTTP exchange through axios (the default HTTP adapter, with a fresh instance or the caller's `httpClient`):
 * the same rules as the `node:http` adapter (no redirects, no decompression, text bodies, size and time limits),
 * enforced through the per-call axios settings so that the instance's own defaults cannot loosen them.
 */
import type { Agent as HttpsAgent } from 'node:https';
import type { AxiosInstance, AxiosResponse } from 'axios';
import { bodyTooLargeError, type ExchangeLimits } from './node-http-exchange';

/** Status, reason phrase, headers as axios gives them, and the body as text. */
export interface AxiosAnswer {
  status: number;
  reason: string;
  headers: AxiosResponse['headers'];
  body: string;
}

/**
 * Sends one request through `client` to the absolute `url`; rejects with axios' own error on network failures,
 * timeouts and oversize answers, and (as the `node` adapter does) refuses an oversize request body before sending.
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
  if (body !== undefined && Buffer.byteLength(body, 'utf8') > limits.maxBodyBytes) throw bodyTooLargeError('request', limits.maxBodyBytes);
  const res = await client.request<string>({
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
    timeout: limits.timeoutMs,
    httpsAgent,
    proxy: false,
  });
  return {
    status: res.status,
    reason: res.statusText ?? '',
    headers: res.headers,
    body: typeof res.data === 'string' ? res.data : res.data === undefined || res.data === null ? '' : String(res.data),
  };
}
