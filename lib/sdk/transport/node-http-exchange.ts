/**
 * One HTTP/1.1 exchange over `node:http` / `node:https` with shared keep-alive agents: the opt-in `'node'`
 * HTTP adapter of the transport (docs/protocol.md §2). It sends the path verbatim, never follows redirects, never
 * decompresses, limits body sizes and the whole exchange's duration, and returns the answer as text. Network failures,
 * timeouts and
 * oversize bodies are rejected with plain `Error`s (with a `code` where Node gives one); the caller wraps them.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Where requests go: parsed once from the base URL. */
export interface ExchangeTarget {
  https: boolean;
  hostname: string;
  port: number | undefined;
  /** Path prefix of the base URL without a trailing slash (usually `''`). */
  basePath: string;
  /** The agent used for every request to this target. */
  agent: HttpAgent;
}

/** Limits of one exchange. */
export interface ExchangeLimits {
  /** Overall time of one exchange in ms (connect, send, answer). */
  timeoutMs: number;
  /** Largest request or response body in bytes. */
  maxBodyBytes: number;
}

/** Status, reason phrase, raw headers (Node's lower-case map) and the body as UTF-8 text. */
export interface ExchangeAnswer {
  status: number;
  reason: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** Shared keep-alive agent for plain HTTP (sockets are reused between calls and do not hold the process open). */
const HTTP_AGENT = new HttpAgent({ keepAlive: true });
/** Shared keep-alive agent for verified HTTPS. */
const HTTPS_AGENT = new HttpsAgent({ keepAlive: true });

/**
 * Parses a base URL into an {@link ExchangeTarget}. `testing: true` gives an HTTPS agent that accepts any
 * certificate (its own agent, so verified connections are never shared with it).
 * @throws TypeError when the URL is not an absolute http(s) URL
 */
export function exchangeTarget(baseUrl: string, testing: boolean): ExchangeTarget {
  const url = new URL(baseUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError(`unsupported URL scheme ${url.protocol}`);
  const https = url.protocol === 'https:';
  const agent = !https
    ? HTTP_AGENT
    : testing
      ? new HttpsAgent({ keepAlive: true, rejectUnauthorized: false })
      : HTTPS_AGENT;
  return {
    https,
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? undefined : Number(url.port),
    basePath: url.pathname.replace(/\/+$/, ''),
    agent,
  };
}

/** The error of a request or response body over the limit (`code: 'ERR_BODY_TOO_LARGE'`), for both adapters. */
export function bodyTooLargeError(what: 'request' | 'response', limit: number): Error {
  return Object.assign(new Error(`${what} body exceeded maxResponseBytes (${limit} bytes)`), {
    code: 'ERR_BODY_TOO_LARGE',
  });
}

/**
 * The error of an exchange that did not finish within `timeoutMs` (`code: 'ETIMEDOUT'`), for both adapters: the
 * limit bounds the whole exchange (connect, sending, waiting for the headers and reading the whole body).
 */
export function exchangeTimeoutError(timeoutMs: number): Error {
  return Object.assign(new Error(`timeout of ${timeoutMs}ms exceeded (connect, headers and body)`), {
    code: 'ETIMEDOUT',
  });
}

/**
 * Sends one request to `target` + `path` (verbatim) and reads the whole answer.
 * @param body sent as UTF-8 when given (with its `Content-Length`)
 */
export function exchange(
  target: ExchangeTarget,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string | undefined,
  limits: ExchangeLimits,
): Promise<ExchangeAnswer> {
  return new Promise<ExchangeAnswer>((resolve, reject) => {
    // The body goes out as a string: Node then sends the header block and the body in one write, not two.
    const length = body === undefined ? 0 : Buffer.byteLength(body, 'utf8');
    if (length > limits.maxBodyBytes) {
      reject(bodyTooLargeError('request', limits.maxBodyBytes));
      return;
    }
    const options: RequestOptions = {
      method,
      hostname: target.hostname,
      port: target.port,
      path: target.basePath + path,
      headers: body === undefined ? headers : { ...headers, 'Content-Length': String(length) },
      agent: target.agent,
    };
    let settled = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(err);
    };
    const onAnswer = (res: IncomingMessage): void => {
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > limits.maxBodyBytes) {
        res.destroy();
        fail(bodyTooLargeError('response', limits.maxBodyBytes));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxBodyBytes) {
          res.destroy();
          fail(bodyTooLargeError('response', limits.maxBodyBytes));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', fail);
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const text =
          chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
        resolve({ status: res.statusCode ?? 0, reason: res.statusMessage ?? '', headers: res.headers, body: text });
      });
    };
    let req: ReturnType<typeof httpRequest>;
    try {
      req = target.https ? httpsRequest(options, onAnswer) : httpRequest(options, onAnswer);
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    const timer = setTimeout(() => {
      const err = exchangeTimeoutError(limits.timeoutMs);
      fail(err);
      req.destroy(err);
    }, limits.timeoutMs);
    req.on('error', fail);
    if (body === undefined) req.end();
    else req.end(body, 'utf8');
  });
}
