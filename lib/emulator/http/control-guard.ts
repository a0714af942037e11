/**
 * The network face of the control API and the simulator page (everything under `/_emulator`): they answer only
 * requests addressed to the emulator's own names (a DNS-rebinding page sends its own host name in `Host`), refuse
 * cross-site browser writes, and accept only JSON bodies. The signed v3 API is not restricted: SDKs reach it through
 * whatever URL they are given, and every call is signed.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';

/** Why a control request is refused: HTTP status and a message for the `{ error }` body. */
export interface GuardRefusal {
  status: 403 | 415;
  message: string;
}

/** Methods that never change anything (the rest are writes). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Host names that always mean this machine. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** Writes `host` as it appears in a `Host` header or URL (IPv6 literals in brackets), lower case. */
export function hostForUrl(host: string): string {
  const h = host.toLowerCase();
  return isIP(h) === 6 ? `[${h}]` : h;
}

/** True when `host` (a bind address or host name) is a loopback address or `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || /^::ffff:127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * The `Host` header values (lower case) the control API answers: `127.0.0.1`, `localhost` and `[::1]` with the
 * listening port, the bind address with that port, and the host of `publicUrl` (with and without its default port).
 * Names on port 80 are also accepted without a port.
 */
export function ownHosts(bindHost: string, port: number, publicUrl: URL | null): Set<string> {
  const hosts = new Set<string>();
  for (const name of [...LOOPBACK_NAMES, hostForUrl(bindHost)]) {
    hosts.add(`${name}:${port}`);
    if (port === 80) hosts.add(name);
  }
  if (publicUrl) {
    hosts.add(publicUrl.host.toLowerCase());
    const defaultPort = publicUrl.protocol === 'https:' ? '443' : '80';
    hosts.add(`${publicUrl.hostname.toLowerCase()}:${publicUrl.port || defaultPort}`);
  }
  return hosts;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The media type of a `Content-Type` value, lower case without parameters. */
function mediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * Checks one request to the control API or the simulator page. Refuses (403) a `Host` that is not one of
 * `hosts`; for writes (any method but GET/HEAD/OPTIONS) refuses (403) `Sec-Fetch-Site: cross-site` and an `Origin`
 * (including `null`) whose host is not one of `hosts`, and (415) a `Content-Type` other than `application/json`, or
 * a body without one. Returns null when the request may go on.
 */
export function checkControlRequest(
  method: string,
  headers: IncomingHttpHeaders,
  bodyLength: number,
  hosts: ReadonlySet<string>,
): GuardRefusal | null {
  const host = (single(headers.host) ?? '').trim().toLowerCase();
  if (!hosts.has(host)) {
    return {
      status: 403,
      message:
        `The control API answers only requests to this emulator's own address, not to Host ${JSON.stringify(host)}` +
        ' (start the emulator with --public-url to add a name)',
    };
  }
  if (SAFE_METHODS.has(method)) return null;
  if (single(headers['sec-fetch-site']) === 'cross-site') {
    return { status: 403, message: 'Cross-site requests may not change the emulator (Sec-Fetch-Site: cross-site)' };
  }
  const origin = single(headers.origin);
  if (origin !== undefined && !isOwnOrigin(origin, hosts)) {
    return { status: 403, message: `Requests from origin ${origin} may not change the emulator` };
  }
  const contentType = single(headers['content-type']);
  if (contentType === undefined ? bodyLength > 0 : mediaType(contentType) !== 'application/json') {
    return { status: 415, message: 'The control API accepts only JSON bodies (Content-Type: application/json)' };
  }
  return null;
}

function isOwnOrigin(origin: string, hosts: ReadonlySet<string>): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && hosts.has(url.host.toLowerCase());
  } catch {
    return false; // includes the opaque origin "null"
  }
}
