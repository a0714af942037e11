/**
 * The HTTP server of the emulator (node:http, no framework: nothing adds headers behind our back) and its one
 * dispatcher over the one route table: `/public/*` (unsigned), `/_emulator/*` (control API, guarded) and the signed
 * API (`/service`, `/directory`, `/organization`): verification, routing, answer construction, persistence.
 */
import { BodyTooLargeError, readBody } from '../../sdk/wire';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { HttpMethod } from '../../sdk/wire';
import { ApiError } from '../api-error';
import { CONTROL_PREFIX, ControlError, parseControlBody } from '../control/control-api';
import type { ControlReply, RouteMatch, Router } from '../router';
import type { EmulatorRuntime } from '../runtime';
import { entityString } from '../state/entities';
import { checkControlRequest } from './control-guard';
import { buildSignedResponse, writeJson, writeRaw, writeResponse } from './respond';
import { normalisePath, verifySignedRequest } from './verify-request';

/** Largest request body accepted, in bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

const SIGNED_PREFIXES = ['/service/', '/directory/', '/organization/'];

type Area = 'public' | 'control' | 'signed';

function areaOf(path: string): Area | null {
  if (path.startsWith('/public/')) return 'public';
  if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) return 'control';
  if (SIGNED_PREFIXES.some((p) => path.startsWith(p))) return 'signed';
  return null;
}

function writeReply(
  res: ServerResponse,
  reply: ControlReply & { headers?: Record<string, string> },
  noStore: boolean,
): void {
  const extra = { ...(noStore ? { 'Cache-Control': 'no-store' } : {}), ...('headers' in reply ? reply.headers : {}) };
  if ('json' in reply) writeJson(res, reply.status ?? 200, reply.json, extra);
  else writeRaw(res, 200, reply.contentType, reply.raw, extra);
}

/** Public routes: GET only (405 otherwise), 404 for unknown paths. */
function servePublic(rt: EmulatorRuntime, found: RouteMatch, method: string, path: string, res: ServerResponse): void {
  if (found.route !== null) {
    const route = found.route;
    if (route.kind === 'public') writeReply(res, route.handler(rt, found.params), false);
    else writeJson(res, 404, { error_code: 'ARG-002', error_detail: `No public route ${path}` });
  } else if (found.pathKnown) {
    writeJson(res, 405, { error_code: 'ARG-002', error_detail: `${method} is not allowed on ${path}` });
  } else {
    writeJson(res, 404, { error_code: 'ARG-002', error_detail: `No public route ${path}` });
  }
}

/** Control routes: the guard (Host, cross-site writes, JSON only), then the route; errors are `{ error }`. */
async function serveControl(
  rt: EmulatorRuntime,
  found: RouteMatch,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname;
  const refusal = checkControlRequest(method, req.headers, body.length, rt.controlHosts);
  if (refusal) {
    rt.log(`${refusal.status} ${method} ${path}: ${refusal.message}`);
    writeJson(res, refusal.status, { error: refusal.message });
    return;
  }
  try {
    if (found.route === null) {
      if (found.pathKnown) throw new ControlError(405, `Method ${method} not allowed on ${path}`);
      throw new ControlError(404, `No control route ${path.slice(CONTROL_PREFIX.length) || '/'}`);
    }
    if (found.route.kind !== 'control') throw new ControlError(404, `No control route ${path}`);
    const reply = await found.route.handler(rt, {
      params: found.params,
      query: url.searchParams,
      body: parseControlBody(body),
    });
    writeReply(res, reply, true);
  } catch (err) {
    if (!(err instanceof ControlError)) {
      rt.log(`control API error on ${path}: ${(err as Error).stack ?? String(err)}`);
      writeJson(res, 500, { error: (err as Error).message });
      return;
    }
    writeJson(res, err.status, { error: err.message });
  }
}

/** Signed routes: verification (docs/protocol.md §4.3), the route, the signed answer (§6.5), a coalesced save. */
async function serveSigned(
  rt: EmulatorRuntime,
  found: RouteMatch,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  body: Buffer,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase() as HttpMethod;
  const v = await verifySignedRequest({ method, path, authorization: req.headers.authorization, body }, rt);
  if (!v.ok) {
    rt.log(`${v.status} ${method} ${path}: ${v.reason}`);
    const target = v.verified ? { entity: v.verified.entity, signingKeyId: v.verified.signingKey.id } : undefined;
    writeResponse(
      res,
      await buildSignedResponse(rt, v.reply, v.status, v.status === 401 ? undefined : v.error?.toBody(), target),
    );
    return;
  }
  const target = { entity: v.entity, signingKeyId: v.signingKey.id };
  let status: number;
  let result: unknown;
  try {
    const route = found.route;
    if (route === null || (route.kind !== undefined && route.kind !== 'signed')) {
      throw new ApiError(400, 'ARG-002', `No route ${method} ${path}`);
    }
    if (!route.subjectTypes.includes(v.subject.type)) {
      throw ApiError.forbidden(`${method} ${path} cannot act on ${entityString(v.subject)}`);
    }
    const out = await route.handler({
      method,
      path,
      params: found.params,
      issuer: v.issuer,
      issuerString: v.issuerString,
      subject: v.subject,
      signingKey: v.signingKey,
      body: v.body,
      hasBody: v.hasBody,
      state: rt.state,
      runtime: rt,
    });
    status = out.status;
    result = out.body;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    status = err.status;
    result = err.toBody();
  }
  if (method !== 'GET') rt.state.save();
  writeResponse(res, await buildSignedResponse(rt, v.reply, status, result, target));
}

/** Handles one HTTP request of the emulator: one route table, one dispatcher, three kinds of routes. */
export async function handleRequest(
  rt: EmulatorRuntime,
  router: Router,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const path = normalisePath(url.pathname);
  const method = (req.method ?? 'GET').toUpperCase();
  try {
    const body = await readBody(req, MAX_BODY_BYTES);
    const area = areaOf(path);
    const found = router.match(method, path);
    if (area === 'public') servePublic(rt, found, method, path, res);
    else if (area === 'control') await serveControl(rt, found, req, res, url, body);
    else if (area === 'signed') await serveSigned(rt, found, req, res, path, body);
    else writeJson(res, 404, { error: `Nothing at ${path}. The device simulator is at ${CONTROL_PREFIX}/` });
  } catch (err) {
    if (err instanceof BodyTooLargeError) {
      writeJson(res, 413, {
        error_code: 'HTTP-413',
        error_detail: `The request body is larger than ${MAX_BODY_BYTES} bytes`,
      });
      return;
    }
    rt.log(`500 ${method} ${path}: ${(err as Error).stack ?? String(err)}`);
    if (!res.headersSent) writeJson(res, 500, { error_code: 'HTTP-500', error_detail: 'Internal emulator error' });
    else res.destroy();
  }
}

/** Creates the node:http server of an emulator runtime (not yet listening). */
export function createEmulatorServer(rt: EmulatorRuntime, router: Router): Server {
  return createServer((req, res) => {
    void handleRequest(rt, router, req, res);
  });
}
