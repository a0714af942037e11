/**
 * The SDK's own axios instance (the default HTTP layer when no `httpClient` is given): one instance per transport,
 * created once with every fixed setting in its defaults (so a call passes only method, path, headers and body),
 * whose axios adapter is the SDK's `node:http` exchange ({@link exchange}: shared keep-alive agents, no
 * redirects, no decompression, text bodies, size limits, one timer for the whole exchange).
 *
 * Why an adapter of our own: axios' built-in `http` adapter costs about 0.25 ms of CPU per exchange on top of
 * `node:http` (stream plumbing, URL and proxy handling, per-call abort wiring), which alone was more than the
 * 10 % budget of the default path over the crypto and HTTP floor (`npm run bench`). Requests still go through
 * axios' request pipeline (config, headers, transforms); a caller who wants axios' own adapters (proxies, custom
 * agents, interceptors) passes `httpClient`, which is used as it is configured (see `axios-exchange.ts`).
 */
import axios, { type AxiosInstance, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { exchange, type ExchangeAnswer, type ExchangeLimits, type ExchangeTarget } from './node-http-exchange';

function identity<T>(data: T): T {
  return data;
}

/**
 * Creates the SDK's axios instance. `target()` gives the current base URL's target (or the error of an unusable
 * base URL, which rejects the call); `config.url` is the request path, sent verbatim after the base path.
 */
export function createSdkAxios(target: () => ExchangeTarget | Error, limits: ExchangeLimits): AxiosInstance {
  const adapter = async (config: InternalAxiosRequestConfig): Promise<AxiosResponse<ExchangeAnswer>> => {
    const to = target();
    if (to instanceof Error) throw to;
    const headers: Record<string, string> = {};
    const given = config.headers as unknown as Record<string, unknown>;
    for (const name of Object.keys(given)) {
      const value = given[name];
      if (typeof value === 'string') headers[name] = value;
      else if (typeof value === 'number') headers[name] = String(value);
    }
    const method = (config.method ?? 'get').toUpperCase();
    const body = typeof config.data === 'string' ? config.data : undefined;
    const answer = await exchange(to, method, config.url ?? '', headers, body, limits);
    // The whole answer is the response data (the identity transforms pass it through untouched), so that the
    // transport reads status, headers and body from the exchange itself instead of converting them back from
    // axios' header objects.
    return {
      data: answer,
      status: answer.status,
      statusText: answer.reason,
      headers: answer.headers as Record<string, string>,
      config,
      request: null,
    };
  };
  return axios.create({
    adapter,
    maxRedirects: 0,
    validateStatus: () => true,
    responseType: 'text',
    transformRequest: [identity],
    transformResponse: [identity],
    decompress: false,
    maxContentLength: limits.maxBodyBytes,
    maxBodyLength: limits.maxBodyBytes,
    timeout: limits.timeoutMs,
    proxy: false,
  });
}
