/**
 * Refusing cross-site browser requests (login CSRF): a page on another site must not be able to start or complete
 * a login in a visitor's browser, nor make any other state-changing request. Browsers say where a request comes
 * from (`Sec-Fetch-Site`, `Origin`); requests with neither header (curl, server-to-server) are not browser
 * requests made on behalf of another site, and pass.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { invalidOption } from './errors';
import { wantsJson } from './fields';

/** Options of the cross-site rule ({@link crossSiteGuard}, and the strategy's options of the same names). */
export interface CrossSiteOptions {
  /**
   * Origins (`scheme://host[:port]`) whose browser requests are accepted. Default: the request's own origin,
   * `req.protocol://host` (honouring Express `trust proxy`: `X-Forwarded-Proto` and `X-Forwarded-Host` are used
   * only from a trusted proxy). When given, the list replaces the default; list the app's public origin(s).
   */
  allowedOrigins?: string[];
  /**
   * Accept `Sec-Fetch-Site: same-site` (a sibling subdomain); its `Origin` must still be in `allowedOrigins`.
   * Default: false (a sibling subdomain may be run by someone else, or be open to XSS).
   */
  allowSameSite?: boolean;
}

/** The cross-site rule with its options checked. */
export interface CrossSiteRule {
  /** Normalised origins, or null for "the request's own origin". */
  allowedOrigins: readonly string[] | null;
  allowSameSite: boolean;
}

/** The message of a refusal (no detail of the request echoed). */
export const CROSS_SITE_MESSAGE = 'Cross-site request refused: this request must come from a page of this site.';

function normaliseOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

/** True for `http(s)://host[:port]` with nothing after it (a trailing `/` is tolerated). */
function isBareOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '' && !/\/\/.*\/./.test(value)
    );
  } catch {
    return false;
  }
}

/**
 * Checks the options of the cross-site rule; throws `ERR_TRUVALIDATE_INVALID_OPTION` for a malformed origin
 * (an origin has no path: `https://app.example`, not `https://app.example/`).
 */
export function crossSiteRule(options: CrossSiteOptions = {}, owner = 'crossSiteGuard'): CrossSiteRule {
  if (options === null || typeof options !== 'object') throw invalidOption(`${owner}: options must be an object`);
  const { allowedOrigins, allowSameSite } = options;
  if (allowSameSite !== undefined && typeof allowSameSite !== 'boolean')
    throw invalidOption(`${owner}: allowSameSite must be a boolean`);
  if (allowedOrigins === undefined) return { allowedOrigins: null, allowSameSite: allowSameSite === true };
  if (!Array.isArray(allowedOrigins) || allowedOrigins.length === 0) {
    throw invalidOption(`${owner}: allowedOrigins must be a non-empty array of origins (scheme://host[:port])`);
  }
  const list = allowedOrigins.map((o: unknown) => {
    const origin = typeof o === 'string' && isBareOrigin(o) ? normaliseOrigin(o) : null;
    if (origin === null)
      throw invalidOption(
        `${owner}: allowedOrigins: ${JSON.stringify(o)} is not an origin (scheme://host[:port], no path)`,
      );
    return origin;
  });
  return { allowedOrigins: list, allowSameSite: allowSameSite === true };
}

/** The host of the request as the client addressed it: `X-Forwarded-Host` only from a trusted proxy (`trust proxy`). */
function requestHost(req: Request): string | undefined {
  const trust = (req.app as { get?: (name: string) => unknown } | undefined)?.get?.('trust proxy fn');
  const forwarded = req.headers['x-forwarded-host'];
  if (
    typeof forwarded === 'string' &&
    forwarded !== '' &&
    typeof trust === 'function' &&
    trust(req.socket?.remoteAddress, 0) === true
  ) {
    return forwarded.split(',')[0]?.trim();
  }
  return req.headers.host;
}

/** The request's own origin (`req.protocol` honours `trust proxy`), or null when the request has no Host. */
export function ownOrigin(req: Request): string | null {
  const host = requestHost(req);
  if (host === undefined || host === '') return null;
  return normaliseOrigin(`${req.protocol ?? 'http'}://${host}`);
}

function header(req: Request, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Why the request is a cross-site browser request, or null when it is not: `Sec-Fetch-Site: cross-site`,
 * `same-site` unless allowed, an `Origin` not allowed (`Origin: null` included). A request with neither header
 * passes (not a browser acting for another site).
 */
export function crossSiteReason(req: Request, rule: CrossSiteRule): string | null {
  const site = header(req, 'sec-fetch-site')?.toLowerCase();
  if (site === 'cross-site') return 'Sec-Fetch-Site: cross-site';
  if (site === 'same-site' && !rule.allowSameSite) return 'Sec-Fetch-Site: same-site (allowSameSite is false)';
  const origin = header(req, 'origin');
  if (origin === undefined) return null;
  if (origin === 'null') return 'Origin: null';
  const normalised = normaliseOrigin(origin);
  const allowed = rule.allowedOrigins ?? [ownOrigin(req)];
  if (normalised === null || !allowed.includes(normalised)) return `Origin ${JSON.stringify(origin)} is not allowed`;
  return null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Express middleware refusing cross-site browser requests on every state-changing route (every method but GET,
 * HEAD and OPTIONS), with the strategy's rule (see {@link crossSiteReason}): it answers 403 itself, JSON
 * `{ "error": "cross_site", "message" }` to a client that prefers JSON and plain text otherwise, with
 * `Cache-Control: no-store`; the route never runs. Mount it after the webhook route (the API's webhooks are not
 * browser requests and carry no such headers anyway) and before the app's routes.
 * @param options see {@link CrossSiteOptions} (defaults: the request's own origin; same-site refused)
 * @throws TruValidateStrategyError `ERR_TRUVALIDATE_INVALID_OPTION` for a malformed origin
 */
export function crossSiteGuard(options: CrossSiteOptions = {}): RequestHandler {
  return crossSiteGuardFor(crossSiteRule(options));
}

/** {@link crossSiteGuard} with a checked rule (the strategy's). */
export function crossSiteGuardFor(
  rule: CrossSiteRule,
  onRefused?: (req: Request, reason: string) => void,
): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (SAFE_METHODS.has(req.method)) {
      next();
      return;
    }
    const reason = crossSiteReason(req, rule);
    if (reason === null) {
      next();
      return;
    }
    onRefused?.(req, reason);
    res.status(403).set('Cache-Control', 'no-store');
    if (wantsJson(req)) res.json({ error: 'cross_site', message: CROSS_SITE_MESSAGE });
    else res.type('text/plain').send(CROSS_SITE_MESSAGE);
  };
}
