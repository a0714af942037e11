/**
 * The HTTP server of the emulator (node:http, no framework: nothing adds headers behind our back). Dispatches
 * `/public/*` (unsigned), `/_emulator/*` (control API) and the signed API (`/service`, `/directory`,
 * `/organization`): verification (docs/protocol.md §4.3), routing, answer construction (§6.5), persistence.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { HttpMethod } from '../../sdk/transport/types';
import { ApiError } from '../api-error';
import { CONTROL_PREFIX, handleControl } from '../control/control-api';
import type { Router } from '../router';
import type { EmulatorRuntime } from '../runtime';
import { entityString } from '../state/entities';
import { handlePublic } from './public-routes';
import { buildSignedResponse, writeJson, writeResponse } from './respond';
import { normalisePath, verifySignedRequest } from './verify-request';

/** Largest request body accepted, in bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

const SIGNED_PREFIXES = ['/service/', '/directory/', '/organization/'];

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function handleSigned(rt: EmulatorRuntime, router: Router, req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase() as HttpMethod;
  const v = await verifySignedRequest({ method, path, authorization: req.headers.authorization, body }, rt);
  if (!v.ok) {
    rt.log(`${v.status} ${method} ${path}: ${v.reason}`);
    const target = v.verified ? { entity: v.verified.entity, signingKeyId: v.verified.signingKey.id } : undefined;
    writeResponse(res, await buildSignedResponse(rt, v.reply, v.status, v.status === 401 ? undefined : v.error?.toBody(), target));
    return;
  }
  const target = { entity: v.entity, signingKeyId: v.signingKey.id };
  let status: number;
  let result: unknown;
  try {
    const found = router.match(method, path);
    if (!found.route) throw new ApiError(400, 'ARG-002', `No route ${method} ${path}`);
    if (!found.route.subjectTypes.includes(v.subject.type)) {
      throw ApiError.forbidden(`${method} ${path} cannot act on ${entityString(v.subject)}`);
    }
    const out = await found.route.handler({
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

/** Handles one HTTP request of the emulator. */
export async function handleRequest(rt: EmulatorRuntime, router: Router, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const path = normalisePath(url.pathname);
  const method = (req.method ?? 'GET').toUpperCase();
  try {
    const body = await readBody(req);
    if (handlePublic(rt, method, path, res)) return;
    if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) {
      await handleControl(rt, req, res, path.slice(CONTROL_PREFIX.length) || '/', url.searchParams, body);
      return;
    }
    if (SIGNED_PREFIXES.some((p) => path.startsWith(p))) {
      await handleSigned(rt, router, req, res, path, body);
      return;
    }
    writeJson(res, 404, { error: `Nothing at ${path}. The device simulator is at ${CONTROL_PREFIX}/` });
  } catch (err) {
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
