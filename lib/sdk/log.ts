/**
 * The SDK's `debug` logger, namespace `passport-truvalidate:sdk` (`DEBUG=passport-truvalidate:sdk`): one line per
 * API exchange with the method, the path, the HTTP status (or the failure's code) and the time in ms. Never
 * headers, keys, JWTs or bodies.
 */
import createDebug from 'debug';

/** The namespace of the SDK's debug lines. */
export const SDK_DEBUG_NAMESPACE = 'passport-truvalidate:sdk';

/** The SDK's debug logger. */
export const sdkDebug = createDebug(SDK_DEBUG_NAMESPACE);

/** The path without its query string (ids in paths are not secrets; a query could carry anything). */
function pathOnly(path: string): string {
  const q = path.indexOf('?');
  return q === -1 ? path : path.slice(0, q);
}

/** Logs one finished exchange: `GET /public/v3/ping 200 3 ms`. */
export function logExchange(method: string, path: string, status: number, ms: number): void {
  if (sdkDebug.enabled) sdkDebug('%s %s %d %d ms', method, pathOnly(path), status, Math.round(ms));
}

/** Logs one failed exchange: `GET /public/v3/ping failed (ECONNREFUSED) 2 ms`. */
export function logExchangeFailure(method: string, path: string, err: unknown, ms: number): void {
  if (!sdkDebug.enabled) return;
  const code = err && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  sdkDebug(
    '%s %s failed (%s) %d ms',
    method,
    pathOnly(path),
    typeof code === 'string' ? code : 'error',
    Math.round(ms),
  );
}
