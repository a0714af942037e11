/** Construction of answers to signed calls, docs/protocol.md §6.5 (and the JWT of §6.2). */
import type { ServerResponse } from 'node:http';
import { contentHash } from '../../sdk/wire';
import type { EmulatorRuntime } from '../runtime';
import { encryptForEntity, signApiJwt, type EncryptionTarget } from '../signing';
import type { ReplyTarget } from './verify-request';

/** The one `Cache-Control` value of signed responses, mirrored into `response.cache`. */
export const RESPONSE_CACHE_CONTROL = 'no-store';

/** An answer ready to write. */
export interface BuiltResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Builds an answer to a signed call (docs/protocol.md §6.5): the JSON result (if any) encrypted to `encryptTo`,
 * `Cache-Control: no-store`, and `X-IOV-JWT` with `response {status, func, hash, cache}` over the final body bytes.
 * `body` undefined means no body (also for every 401).
 */
export async function buildSignedResponse(
  rt: EmulatorRuntime,
  reply: ReplyTarget,
  status: number,
  body?: unknown,
  encryptTo?: EncryptionTarget,
): Promise<BuiltResponse> {
  let bytes = Buffer.alloc(0);
  const headers: Record<string, string> = { 'Cache-Control': RESPONSE_CACHE_CONTROL };
  if (body !== undefined && encryptTo) {
    const { jwe } = await encryptForEntity(rt, encryptTo, JSON.stringify(body));
    bytes = Buffer.from(jwe, 'ascii');
    headers['Content-Type'] = 'application/jose';
  }
  const response: Record<string, unknown> = { status, cache: RESPONSE_CACHE_CONTROL };
  if (bytes.length > 0) {
    response['func'] = 'S256';
    response['hash'] = contentHash('S256', bytes);
  }
  const claims: Record<string, unknown> = { aud: reply.aud };
  if (reply.sub !== undefined) claims['sub'] = reply.sub;
  if (reply.jti !== undefined) claims['jti'] = reply.jti;
  claims['response'] = response;
  headers['X-IOV-JWT'] = await signApiJwt(rt, claims);
  headers['Content-Length'] = String(bytes.length);
  return { status, headers, body: bytes };
}

/** Writes a built answer. Node adds only Date/Connection/Keep-Alive, none of which are bound. */
export function writeResponse(res: ServerResponse, built: BuiltResponse): void {
  res.writeHead(built.status, built.headers);
  res.end(built.body);
}

/** Writes a plain JSON answer (public and control endpoints). */
export function writeJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  extra: Record<string, string> = {},
): void {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(body.length),
    ...extra,
  });
  res.end(body);
}

/** Writes a plain-text or other non-JSON answer. */
export function writeRaw(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  extra: Record<string, string> = {},
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(bytes.length), ...extra });
  res.end(bytes);
}
