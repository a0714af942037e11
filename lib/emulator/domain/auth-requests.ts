/**
 * The authorization request lifecycle (docs/protocol.md §12, §B12): creation with its checks, status with
 * lazy expiry, the simulated device's answer (the response package of docs/protocol.md §11.5 and its webhook), cancel.
 */
import { isJsonObject } from '../../sdk/wire';
import { isoFormat } from '../../sdk/wire';
import { rsaOaepEncryptBase64 } from '../../sdk/wire';
import { ApiError } from '../api-error';
import { servicePins, userHash, uuidV1 } from '../ids';
import type { EmulatorRuntime } from '../runtime';
import { encryptForEntity } from '../signing';
import { parseEntity } from '../state/entities';
import { publicKeyObject } from '../state/key-cache';
import type { AuthRequestRecord, DenialReason, ServiceRecord, UserRecord } from '../state/types';
import { sendEncryptedWebhook, type WebhookDelivery } from '../webhooks';
import { defaultAuthMethods, type AuthMethodItem } from './auth-methods';
import { authPolicyEcho, validateLegacyPolicy } from './policy';
import { authRequestStatus } from './auth-status';
import { pruneAuthRequests } from './retention';

export { authRequestStatus, type AuthRequestStatus } from './auth-status';

/** Default `ttl` of an authorization request in seconds. */
export const DEFAULT_AUTH_TTL = 300;
/** Longest `context` accepted. */
export const MAX_CONTEXT_LENGTH = 400;
/** Longest `title` accepted. */
export const MAX_TITLE_LENGTH = 200;

/** Denial reasons offered when the request brought none. */
export const DEFAULT_DENIAL_REASONS: readonly DenialReason[] = Object.freeze([
  { id: 'DEFAULT-NOT-NOW', reason: 'I did not want to approve this now', fraud: false },
  { id: 'DEFAULT-FRAUD', reason: 'I did not initiate this request', fraud: true },
]);

/**
 * The denial reasons the device offers for a request: the request's own, else {@link DEFAULT_DENIAL_REASONS}; none
 * when the user's directory has `denial_context_inquiry_enabled` false (the device then asks for no reason and a
 * denial carries `denial_reason: null`).
 */
export function offeredDenialReasons(rt: EmulatorRuntime, rec: AuthRequestRecord): DenialReason[] {
  if (rt.state.findDirectory(rec.directoryId)?.denialContextInquiryEnabled === false) return [];
  return rec.denialReasons.length > 0 ? rec.denialReasons : [...DEFAULT_DENIAL_REASONS];
}

function optionalString(
  body: Record<string, unknown>,
  name: string,
  max: number,
  errors: Record<string, string>,
): string | null {
  const v = body[name];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') errors[name] = 'must be a string';
  else if (v.length > max) errors[name] = `must be at most ${max} characters`;
  else return v;
  return null;
}

function parseDenialReasons(value: unknown, errors: Record<string, string>): DenialReason[] {
  if (value === undefined || value === null) return [];
  const problem = (m: string): DenialReason[] => {
    errors['denial_reasons'] = m;
    return [];
  };
  if (!Array.isArray(value)) return problem('must be an array');
  const out: DenialReason[] = [];
  for (const v of value) {
    if (!isJsonObject(v)) return problem('items must be objects');
    const o = v;
    if (
      typeof o['id'] !== 'string' ||
      o['id'] === '' ||
      typeof o['reason'] !== 'string' ||
      typeof o['fraud'] !== 'boolean'
    ) {
      return problem('items need a string id, a string reason and a boolean fraud');
    }
    out.push({ id: o['id'], reason: o['reason'], fraud: o['fraud'] });
  }
  if (out.length < 2) return problem('at least 2 denial reasons are required');
  if (!out.some((r) => r.fraud) || !out.some((r) => !r.fraud))
    return problem('at least one fraud and one non-fraud reason are required');
  if (new Set(out.map((r) => r.id)).size !== out.length) return problem('ids must be unique');
  return out;
}

/** Input of {@link createAuthRequest}. */
export interface CreateAuthRequestInput {
  service: ServiceRecord;
  issuer: string;
  signingKeyId: string;
  body: Record<string, unknown>;
}

/** The pending request that blocks a new one for this user, if any. */
export function pendingRequestOf(rt: EmulatorRuntime, user: UserRecord): AuthRequestRecord | undefined {
  const now = rt.clock.nowSeconds();
  return rt.state.data.authRequests.find(
    (r) =>
      r.directoryId === user.directoryId && r.username === user.identifier && authRequestStatus(r, now) === 'pending',
  );
}

/**
 * `POST /service/v3/auths`: checks, in order, the user (`username` is the directory user identifier or the user push
 * id; 404 when unknown, missing or without a LINKED device), the legacy policy (SVC-002), the other parameters
 * (ARG-001), the busy signal (409 SVC-005), then stores the request.
 */
export function createAuthRequest(rt: EmulatorRuntime, input: CreateAuthRequestInput): AuthRequestRecord {
  const { service, body } = input;
  const username = body['username'];
  const user =
    typeof username === 'string'
      ? (rt.state.findUserForService(service, username) ?? rt.state.findUserByPushId(service, username))
      : undefined;
  if (!user) throw ApiError.notFound('No such user');
  const linked = user.devices.filter((d) => d.status === 1);
  if (linked.length === 0) throw ApiError.notFound('The user has no linked device');
  const policy = body['policy'] === undefined || body['policy'] === null ? null : validateLegacyPolicy(body['policy']);
  const errors: Record<string, string> = {};
  const context = optionalString(body, 'context', MAX_CONTEXT_LENGTH, errors);
  const title = optionalString(body, 'title', MAX_TITLE_LENGTH, errors);
  const pushTitle = optionalString(body, 'push_title', MAX_TITLE_LENGTH, errors);
  const pushBody = optionalString(body, 'push_body', MAX_CONTEXT_LENGTH, errors);
  let ttl = DEFAULT_AUTH_TTL;
  const rawTtl = body['ttl'];
  if (rawTtl !== undefined && rawTtl !== null) {
    if (typeof rawTtl !== 'number' || !Number.isInteger(rawTtl) || rawTtl <= 0)
      errors['ttl'] = 'must be a positive integer';
    else ttl = rawTtl;
  }
  const denialReasons = parseDenialReasons(body['denial_reasons'], errors);
  if (Object.keys(errors).length > 0) throw ApiError.invalidParameters(errors);
  const busy = pendingRequestOf(rt, user);
  if (busy) {
    throw new ApiError(409, 'SVC-005', 'An authorization request is already in progress for this user', {
      auth_request: busy.id,
      expires: isoFormat(new Date(busy.expiresAt * 1000)),
      from_same_service: busy.serviceId === service.id,
    });
  }
  const now = rt.clock.nowSeconds();
  const rec: AuthRequestRecord = {
    id: uuidV1(),
    serviceId: service.id,
    directoryId: user.directoryId,
    username: user.identifier,
    issuer: input.issuer,
    signingKeyId: input.signingKeyId,
    title,
    context,
    pushTitle,
    pushBody,
    ttl,
    created: isoFormat(rt.clock.now()),
    expiresAt: now + ttl,
    policy,
    denialReasons,
    deviceIds: linked.map((d) => d.id),
    canceled: false,
    answer: null,
  };
  pruneAuthRequests(rt);
  rt.state.data.authRequests.push(rec);
  return rec;
}

/** The answers the simulated device can give. */
export const DEVICE_ACTIONS = ['approve', 'deny', 'fraud', 'fail'] as const;

/** The answer the simulated device gives. */
export interface DeviceAnswerInput {
  action: (typeof DEVICE_ACTIONS)[number];
  /** deny/fraud: the denial reason id (default: the first non-fraud / fraud reason); fail: the failure reason. */
  reason?: string;
  /** `auth_methods` to report (default: docs/protocol.md §B12.6). */
  methods?: AuthMethodItem[];
}

const FAILURE_REASONS = new Set(['POLICY', 'PERMISSION', 'AUTHENTICATION', 'CONFIGURATION', 'BUSY_LOCAL', 'SENSOR']);

function decide(
  rt: EmulatorRuntime,
  rec: AuthRequestRecord,
  input: DeviceAnswerInput,
): { type: 'AUTHORIZED' | 'DENIED' | 'FAILED'; reason: string; denialReason: string | null } {
  if (input.action === 'approve') return { type: 'AUTHORIZED', reason: 'APPROVED', denialReason: null };
  if (input.action === 'fail') {
    const reason = input.reason ?? 'POLICY';
    if (!FAILURE_REASONS.has(reason))
      throw new Error(`unknown failure reason ${reason}; use one of ${[...FAILURE_REASONS].join(', ')}`);
    return { type: 'FAILED', reason, denialReason: null };
  }
  const offered = offeredDenialReasons(rt, rec);
  let chosen: DenialReason | undefined;
  if (input.reason !== undefined) {
    chosen = offered.find((r) => r.id === input.reason);
    if (!chosen) throw new Error(`denial reason ${input.reason} is not offered by this request`);
  } else {
    chosen = offered.find((r) => r.fraud === (input.action === 'fraud'));
  }
  const fraud = input.action === 'fraud' || chosen?.fraud === true;
  return { type: 'DENIED', reason: fraud ? 'FRAUDULENT' : 'DISAPPROVED', denialReason: chosen?.id ?? null };
}

/**
 * Records the device's answer to a pending request, builds the response package (both `auth` and `auth_jwe`,
 * encrypted for the credential that signed `POST auths`), and sends the authorization response webhook when the
 * service has a callback URL (with `type: "AUTHORIZATION_RESPONSE"` added when `rt.authResponseType` is set).
 * Throws `Error` with a message for an unknown reason id.
 */
export async function answerAuthRequest(
  rt: EmulatorRuntime,
  rec: AuthRequestRecord,
  input: DeviceAnswerInput,
): Promise<WebhookDelivery | null> {
  const { type, reason, denialReason } = decide(rt, rec, input);
  const service = rt.state.findService(rec.serviceId);
  const issuerRef = parseEntity(rec.issuer);
  const issuerEntity = issuerRef ? rt.state.findEntity(issuerRef) : undefined;
  const user = rt.state.findUser(rec.directoryId, rec.username);
  if (!service || !issuerEntity || !issuerRef || !user)
    throw new Error('the service, the requesting entity or the user no longer exists');
  const encryptTo = { entity: issuerEntity, signingKeyId: rec.signingKeyId };
  const key = rt.state.encryptionKeyFor(issuerEntity, rec.signingKeyId, rt.clock.nowSeconds());
  if (!key) throw new Error('the requesting entity has no key');
  const deviceId = rec.deviceIds[0] ?? user.devices.find((d) => d.status === 1)?.id ?? '';
  const pins = servicePins();
  const jwePayload: Record<string, unknown> = {
    auth_request: rec.id,
    type,
    reason,
    denial_reason: denialReason,
    device_id: deviceId,
    service_pins: pins,
  };
  const echo = authPolicyEcho(rec.policy, service.policy);
  if (echo) jwePayload['auth_policy'] = echo;
  jwePayload['auth_methods'] = input.methods ?? defaultAuthMethods();
  const legacy = { response: type === 'AUTHORIZED', auth_request: rec.id, device_id: deviceId, service_pins: pins };
  const { jwe: authJwe } = await encryptForEntity(rt, encryptTo, JSON.stringify(jwePayload));
  const org = rt.state.organizationOf({ type: 'svc', id: service.id });
  const pkg: Record<string, string> = {
    auth: rsaOaepEncryptBase64(JSON.stringify(legacy), publicKeyObject(key.publicKey)),
    auth_jwe: authJwe,
    service_user_hash: userHash(service.id, user.identifier),
    org_user_hash: userHash(org?.id ?? '', user.identifier),
    user_push_id: user.pushId,
    public_key_id: key.id,
  };
  rec.answer = { type, reason, denialReason, deviceId, package: pkg, answeredAt: isoFormat(rt.clock.now()) };
  rt.state.save();
  if (!service.callbackUrl) return null;
  return sendEncryptedWebhook(rt, {
    url: service.callbackUrl,
    kind: 'authorization_response',
    aud: rec.issuer,
    sub: `svc:${service.id}`,
    payload: rt.authResponseType ? { ...pkg, type: 'AUTHORIZATION_RESPONSE' } : pkg,
    encryptTo,
  });
}

/** The request with that id for that service (ids compared case-insensitively), or undefined. */
export function findAuthRequest(rt: EmulatorRuntime, id: string, serviceId?: string): AuthRequestRecord | undefined {
  const wanted = id.toLowerCase();
  return rt.state.data.authRequests.find(
    (r) => r.id === wanted && (serviceId === undefined || r.serviceId === serviceId),
  );
}
