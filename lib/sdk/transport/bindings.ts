/**
 * Bindings between a verified API JWT and the HTTP exchange it covers: status, `Cache-Control`/`Location`
 * headers and the body hash (docs/protocol.md §6.3 steps 7-9, §11.3 steps 5-6). Failures are `JWTValidationFailure`.
 */
import { isJsonObject } from '../entities/schema';
import { JWTValidationFailure } from '../errors';
import { contentHash, hashEquals, isContentHashAlgorithm } from './jose-primitives';

function fail(message: string): never {
  throw new JWTValidationFailure(message);
}

/**
 * Body binding: an empty body must come with neither `func` nor `hash`; a non-empty body with both, `func`
 * supported and the digest of the exact bytes equal to `hash`.
 */
export function checkBodyBinding(container: Record<string, unknown>, body: string | Uint8Array, what: string): void {
  const func = container['func'];
  const hash = container['hash'];
  const empty = body.length === 0;
  if (empty) {
    if (func !== undefined || hash !== undefined) fail(`${what} is empty but the JWT carries a body hash`);
    return;
  }
  if (func === undefined || hash === undefined) fail(`${what} is not empty but the JWT carries no body hash`);
  if (!isContentHashAlgorithm(func)) fail(`${what} hash function ${JSON.stringify(func)} is not supported`);
  if (typeof hash !== 'string' || !hashEquals(contentHash(func, body), hash))
    fail(`${what} does not match the hash in the JWT`);
}

/**
 * Compares two Cache-Control values as comma-separated, trimmed, order-insensitive lists (docs/protocol.md §13 OP-21).
 */
export function cacheControlEquals(a: string, b: string): boolean {
  const norm = (v: string) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .sort();
  const x = norm(a);
  const y = norm(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/**
 * Steps 7-9 of docs/protocol.md §6.3 on a verified response JWT: `response` is an object whose `status` equals the
 * HTTP status; `cache`/`location` present exactly when the headers are, with equal values; the body hash binds.
 * @param headers response headers with lower-case names
 */
export function checkResponseBindings(
  claims: Record<string, unknown>,
  status: number,
  headers: Record<string, string>,
  body: string,
): void {
  const response = claims['response'];
  if (!isJsonObject(response) || Object.keys(response).length === 0) fail('the JWT has no response claim');
  if (!('status' in response)) fail('the JWT response claim has no status');
  if (response['status'] !== status)
    fail(`the JWT response status ${JSON.stringify(response['status'])} is not the HTTP status ${status}`);
  const location = headers['location'];
  if ((response['location'] !== undefined) !== (location !== undefined))
    fail('the Location header and the JWT location claim disagree on presence');
  if (location !== undefined && response['location'] !== location) fail('the Location header does not match the JWT');
  const cache = headers['cache-control'];
  if ((response['cache'] !== undefined) !== (cache !== undefined))
    fail('the Cache-Control header and the JWT cache claim disagree on presence');
  if (cache !== undefined && (typeof response['cache'] !== 'string' || !cacheControlEquals(response['cache'], cache))) {
    fail('the Cache-Control header does not match the JWT');
  }
  checkBodyBinding(response, body, 'the response body');
}

/**
 * Steps 5-6 of docs/protocol.md §11.3 on a verified webhook JWT: `request.meth` equals the HTTP method (case-
 * insensitive), `request.path` equals the request path, and the body hash binds.
 */
export function checkWebhookBindings(
  claims: Record<string, unknown>,
  method: string,
  path: string,
  body: string | Uint8Array,
): void {
  const request = claims['request'];
  if (!isJsonObject(request)) fail('the webhook JWT has no request claim');
  if (typeof request['meth'] !== 'string' || request['meth'].toUpperCase() !== method.toUpperCase()) {
    fail(`the webhook JWT method ${JSON.stringify(request['meth'])} is not ${method}`);
  }
  if (typeof request['path'] !== 'string' || request['path'] !== path)
    fail(`the webhook JWT path ${JSON.stringify(request['path'])} is not ${path}`);
  checkBodyBinding(request, body, 'the webhook body');
}
