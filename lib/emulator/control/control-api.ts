/**
 * The control API of the simulated phone (docs/emulator.md): plain JSON under `/_emulator/`, no JOSE.
 * Errors are `{ "error": message }` with a 4xx status.
 */
import { isOneOf, isoFormat, parseUuid } from '../../sdk/wire';
import { isJsonObject } from '../../sdk/wire';
import { retireApiKey, rotateApiKeys } from '../domain/api-keys';
import { parseAuthMethods } from '../domain/auth-methods';
import {
  answerAuthRequest,
  authRequestStatus,
  DEVICE_ACTIONS,
  findAuthRequest,
  offeredDenialReasons,
  type DeviceAnswerInput,
} from '../domain/auth-requests';
import { endSessions } from '../domain/sessions';
import { totpCode } from '../domain/totp';
import { completeDeviceLink, findPendingLink, pendingLinks, qrcodeUrl } from '../domain/users';
import { simulatorPage } from '../device/page';
import { QrcodeMissingError, qrPng } from '../device/qr-image';
import type { ControlRoute, Router } from '../router';
import type { EmulatorRuntime } from '../runtime';
import { emulatorStats } from '../stats';
import type { UserRecord } from '../state/types';

/** The prefix of every control route. */
export const CONTROL_PREFIX = '/_emulator';

/** A control API error answer: `{ error: message }` with `status`. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

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
    totpCode: u.totp === null ? null : totpCode(u.totp, rt.clock.nowSeconds()),
    sessions: u.sessions.map((s) => ({
      serviceId: s.serviceId,
      serviceName: rt.state.findService(s.serviceId)?.name ?? null,
      authRequest: s.authRequest,
      created: s.created,
    })),
  };
}

function codeFrom(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new ControlError(400, '"code" is required');
  const m = /\/_emulator\/qrcode\/([^/?#]+)\.png(?:[?#].*)?$/.exec(value);
  return m ? decodeURIComponent(m[1] as string) : value.trim();
}

const routes: Omit<ControlRoute, 'kind'>[] = [
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
      if (!isOneOf(DEVICE_ACTIONS, action))
        throw new ControlError(400, '"action" must be approve, deny, fraud or fail');
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
      return {
        json: {
          authRequestId: rec.id,
          type: answer.type,
          reason: answer.reason,
          denialReason: answer.denialReason,
          webhook,
        },
      };
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
        qrcode: qrcodeUrl(rt, device.linkCode ?? ''),
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
      const serviceId =
        req.body['serviceId'] === undefined || req.body['serviceId'] === null
          ? undefined
          : parseUuid(req.body['serviceId']);
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
      const user = usersNamed(rt, req.params['user'], req.query.get('directoryId') ?? undefined).find(
        (u) => u.totp !== null,
      );
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
    method: 'GET',
    path: '/stats',
    handler: (rt) => ({ json: emulatorStats(rt) }),
  },
  {
    method: 'POST',
    path: '/clock',
    handler: (rt, req) => {
      const shift = req.body['shiftSeconds'];
      if (typeof shift !== 'number' || !Number.isFinite(shift))
        throw new ControlError(400, '"shiftSeconds" must be a number');
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
      if (typeof kid !== 'string' || !retireApiKey(rt, kid))
        throw new ControlError(404, 'No previous API key with that id');
      return { json: { retired: kid } };
    },
  },
  {
    method: 'GET',
    path: '/qrcode/:file',
    handler: async (rt, req) => {
      const m = /^(.+)\.png$/.exec(req.params['file'] ?? '');
      if (!m || !findPendingLink(rt, m[1] as string)) throw new ControlError(404, 'No pending link with that code');
      try {
        return { raw: await qrPng(m[1] as string), contentType: 'image/png' };
      } catch (err) {
        if (err instanceof QrcodeMissingError) throw new ControlError(501, err.message);
        throw err;
      }
    },
  },
];

/** Adds the control routes and the simulator page (at `/_emulator` and `/_emulator/`) to the route table. */
export function registerControlRoutes(router: Router): void {
  for (const r of routes) {
    router.add({ ...r, kind: 'control', path: `${CONTROL_PREFIX}${r.path}` });
    if (r.path === '/') router.add({ ...r, kind: 'control', path: CONTROL_PREFIX });
  }
}

/** Parses a control request body: `{}` when empty, else a JSON object (400 otherwise). */
export function parseControlBody(rawBody: Buffer): Json {
  if (rawBody.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new ControlError(400, 'The body is not JSON');
  }
  if (!isJsonObject(parsed)) throw new ControlError(400, 'The body must be a JSON object');
  return parsed;
}
