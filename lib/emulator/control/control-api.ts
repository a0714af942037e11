/**
 * The control API of the simulated phone (docs/emulator.md): plain JSON under `/_emulator/`, no JOSE.
 * Errors are `{ "error": message }` with a 4xx status.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import QRCode from 'qrcode';
import { isOneOf, isoFormat, parseUuid } from '../../sdk/utils';
import { isJsonObject } from '../../sdk/entities/schema';
import { retireApiKey, rotateApiKeys } from '../domain/api-keys';
import { parseAuthMethods } from '../domain/auth-methods';
import { answerAuthRequest, authRequestStatus, DEVICE_ACTIONS, findAuthRequest, offeredDenialReasons, type DeviceAnswerInput } from '../domain/auth-requests';
import { endSessions } from '../domain/sessions';
import { totpCode } from '../domain/totp';
import { completeDeviceLink, findPendingLink, pendingLinks } from '../domain/users';
import { simulatorPage } from '../device/page';
import { writeJson, writeRaw } from '../http/respond';
import { matchPattern } from '../router';
import type { EmulatorRuntime } from '../runtime';
import type { UserRecord } from '../state/types';

/** The prefix of every control route. */
export const CONTROL_PREFIX = '/_emulator';

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

interface ControlRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: Json;
}

type Reply = { json: unknown; status?: number } | { raw: Buffer | string; contentType: string };
type Handler = (rt: EmulatorRuntime, req: ControlRequest) => Reply | Promise<Reply>;

function usersNamed(rt: EmulatorRuntime, identifier: unknown, directoryId?: unknown): UserRecord[] {
  if (typeof identifier !== 'string' || identifier === '') throw new ControlError(400, '"user" is required');
  const dir = directoryId === undefined || directoryId === null ? null : parseUuid(directoryId);
  return rt.state.data.users.filter((u) => u.identifier === identifier && (dir === null || u.directoryId === dir));
}

function describeUser(rt: EmulatorRuntime, u: UserRecord): Json {
  return {
    identifier: u.identifier,
    directoryId: u.directoryId,
    devices: u.devices.map((d) => ({ id: d.id, name: d.name, status: d.status, type: d.type })),
    hasTotp: u.totp !== null,
    sessions: u.sessions.map((s) => ({ serviceId: s.serviceId, serviceName: rt.state.findService(s.serviceId)?.name ?? null, authRequest: s.authRequest, created: s.created })),
  };
}

function codeFrom(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new ControlError(400, '"code" is required');
  const m = /\/_emulator\/qrcode\/([^/?#]+)\.png(?:[?#].*)?$/.exec(value);
  return m ? decodeURIComponent(m[1] as string) : value.trim();
}

const routes: { method: string; path: string; handler: Handler }[] = [
  {
    method: 'GET',
    path: '/',
    handler: () => ({ raw: simulatorPage(), contentType: 'text/html; charset=utf-8' }),
  },
  {
    method: 'GET',
    path: '/users',
    handler: (rt) => ({ json: rt.state.data.users.map((u) => describeUser(rt, u)) }),
  },
  {
    method: 'GET',
    path: '/auths',
    handler: (rt, req) => {
      const now = rt.clock.nowSeconds();
      const user = req.query.get('user');
      const items = rt.state.data.authRequests
        .filter((r) => authRequestStatus(r, now) === 'pending' && (user === null || r.username === user))
        .map((r) => ({
          authRequestId: r.id,
          user: r.username,
          serviceId: r.serviceId,
          serviceName: rt.state.findService(r.serviceId)?.name ?? null,
          title: r.title,
          context: r.context,
          expiresAt: isoFormat(new Date(r.expiresAt * 1000)),
          denialReasons: offeredDenialReasons(rt, r),
        }));
      return { json: items };
    },
  },
  {
    method: 'POST',
    path: '/auths/:id/respond',
    handler: async (rt, req) => {
      const id = parseUuid(req.params['id']);
      const rec = id === null ? undefined : findAuthRequest(rt, id);
      if (!rec) throw new ControlError(404, 'No such authorization request');
      const status = authRequestStatus(rec, rt.clock.nowSeconds());
      if (status !== 'pending') throw new ControlError(409, `The authorization request is ${status}`);
      const action = req.body['action'];
      if (!isOneOf(DEVICE_ACTIONS, action)) throw new ControlError(400, '"action" must be approve, deny, fraud or fail');
      const input: DeviceAnswerInput = { action };
      const reason = req.body['reason'];
      if (reason !== undefined && reason !== null) {
        if (typeof reason !== 'string') throw new ControlError(400, '"reason" must be a string');
        input.reason = reason;
      }
      if (req.body['methods'] !== undefined && req.body['methods'] !== null) {
        const parsed = parseAuthMethods(req.body['methods']);
        if ('error' in parsed) throw new ControlError(400, parsed.error);
        input.methods = parsed.methods;
      }
      let webhook;
      try {
        webhook = await answerAuthRequest(rt, rec, input);
      } catch (err) {
        throw new ControlError(400, (err as Error).message);
      }
      const answer = rec.answer!;
      return { json: { authRequestId: rec.id, type: answer.type, reason: answer.reason, denialReason: answer.denialReason, webhook } };
    },
  },
  {
    method: 'GET',
    path: '/links',
    handler: (rt) => ({
      json: pendingLinks(rt).map(({ user, device }) => ({
        identifier: user.identifier,
        directoryId: user.directoryId,
        code: device.linkCode,
        deviceId: device.id,
        expiresAt: isoFormat(new Date((device.linkExpiresAt ?? 0) * 1000)),
      })),
    }),
  },
  {
    method: 'POST',
    path: '/devices/link',
    handler: async (rt, req) => {
      const link = findPendingLink(rt, codeFrom(req.body['code']));
      if (!link) throw new ControlError(404, 'No pending link with that code (unknown or expired)');
      const webhook = await completeDeviceLink(rt, link);
      return { json: { identifier: link.user.identifier, deviceId: link.device.id, webhook } };
    },
  },
  {
    method: 'POST',
    path: '/logout',
    handler: async (rt, req) => {
      const users = usersNamed(rt, req.body['user'], req.body['directoryId']);
      if (users.length === 0) throw new ControlError(404, 'No such user');
      const serviceId = req.body['serviceId'] === undefined || req.body['serviceId'] === null ? undefined : parseUuid(req.body['serviceId']);
      if (serviceId === null) throw new ControlError(400, '"serviceId" must be a UUID');
      const webhooks = [];
      for (const u of users) webhooks.push(...(await endSessions(rt, u, serviceId)));
      return { json: { webhooks } };
    },
  },
  {
    method: 'GET',
    path: '/totp/:user',
    handler: (rt, req) => {
      const user = usersNamed(rt, req.params['user'], req.query.get('directoryId') ?? undefined).find((u) => u.totp !== null);
      if (!user?.totp) throw new ControlError(404, 'The user has no TOTP configured');
      return { json: { code: totpCode(user.totp, rt.clock.nowSeconds()) } };
    },
  },
  {
    method: 'GET',
    path: '/webhooks',
    handler: (rt) => ({ json: rt.webhookLog }),
  },
  {
    method: 'POST',
    path: '/clock',
    handler: (rt, req) => {
      const shift = req.body['shiftSeconds'];
      if (typeof shift !== 'number' || !Number.isFinite(shift)) throw new ControlError(400, '"shiftSeconds" must be a number');
      rt.clock.shift(shift);
      return { json: { offsetSeconds: rt.clock.offsetSeconds, now: isoFormat(rt.clock.now()) } };
    },
  },
  {
    method: 'POST',
    path: '/api-keys/rotate',
    handler: async (rt, req) => ({ json: await rotateApiKeys(rt, { signing: req.body['signing'] === true }) }),
  },
  {
    method: 'POST',
    path: '/api-keys/retire',
    handler: (rt, req) => {
      const kid = req.body['kid'];
      if (typeof kid !== 'string' || !retireApiKey(rt, kid)) throw new ControlError(404, 'No previous API key with that id');
      return { json: { retired: kid } };
    },
  },
  {
    method: 'GET',
    path: '/qrcode/:file',
    handler: async (rt, req) => {
      const m = /^(.+)\.png$/.exec(req.params['file'] ?? '');
      if (!m || !findPendingLink(rt, m[1] as string)) throw new ControlError(404, 'No pending link with that code');
      return { raw: await QRCode.toBuffer(m[1] as string, { type: 'png', margin: 2, width: 256 }), contentType: 'image/png' };
    },
  },
];

/**
 * Serves one control API request. `path` is relative to the control prefix (`/` for the simulator page), `rawBody`
 * the request body (JSON or empty).
 */
export async function handleControl(rt: EmulatorRuntime, req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, rawBody: Buffer): Promise<void> {
  try {
    const segments = path.split('/');
    const candidates = routes.map((r) => ({ r, params: matchPattern(r.path, segments) })).filter((c) => c.params !== null);
    if (candidates.length === 0) throw new ControlError(404, `No control route ${path}`);
    const hit = candidates.find((c) => c.r.method === req.method);
    if (!hit) throw new ControlError(405, `Method ${req.method ?? ''} not allowed on ${path}`);
    let body: Json = {};
    if (rawBody.length > 0) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(rawBody.toString('utf8'));
      } catch {
        throw new ControlError(400, 'The body is not JSON');
      }
      if (!isJsonObject(parsed)) throw new ControlError(400, 'The body must be a JSON object');
      body = parsed;
    }
    const reply = await hit.r.handler(rt, { params: hit.params ?? {}, query, body });
    if ('json' in reply) writeJson(res, reply.status ?? 200, reply.json, { 'Cache-Control': 'no-store' });
    else writeRaw(res, 200, reply.contentType, reply.raw, { 'Cache-Control': 'no-store' });
  } catch (err) {
    if (err instanceof ControlError) {
      writeJson(res, err.status, { error: err.message });
    } else {
      rt.log(`control API error on ${path}: ${(err as Error).stack ?? String(err)}`);
      writeJson(res, 500, { error: (err as Error).message });
    }
  }
}
