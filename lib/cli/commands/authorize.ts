/** `authorize` (send a push and wait for the answer) and `cancel-auth-request`. */
import type { ServiceClient } from '../../sdk/clients/service-client';
import {
  type AdvancedAuthorizationResponse,
  type AuthMethod,
  AuthResponseType,
  DenialReason,
} from '../../sdk/entities/service';
import {
  AuthorizationInProgress,
  AuthorizationRequestCanceled,
  AuthorizationResponseExists,
  EntityNotFound,
} from '../../sdk/errors';
import { parseUuid } from '../../sdk/utils';
import { CliUsageError, EXIT_NEGATIVE, EXIT_OK } from '../errors';
import { fields, type CommandResult } from '../output';
import type { CommandContext, ServiceCommand } from './types';
import { intOption, stringOption } from './values';
import { waitForAnswer, type WaitOutcome } from './wait';

/** The API's default lifetime of an authorization request, used as the wait limit when `--ttl` is not given. */
export const DEFAULT_AUTH_TTL_SECONDS = 300;

/** How an `authorize` ended (the JSON `status`). */
export type AuthorizeStatus = 'authorized' | 'denied' | 'fraud' | 'failed' | 'expired' | 'canceled' | 'busy';

/**
 * `--denial-reason-count N` reasons, as the Python CLI offers them but without randomness: ids `"0"` to `"N-1"`,
 * even ids not fraud (`Not now (0)`), odd ids fraud (`I did not ask for this (1)`).
 */
export function denialReasons(count: number): DenialReason[] {
  return Array.from({ length: count }, (_, i) =>
    i % 2 === 0
      ? new DenialReason(String(i), `Not now (${i})`, false)
      : new DenialReason(String(i), `I did not ask for this (${i})`, true),
  );
}

function methodJson(m: AuthMethod): Record<string, unknown> {
  return {
    method: m.method.toLowerCase(),
    set: m.set,
    active: m.active,
    allowed: m.allowed,
    supported: m.supported,
    userRequired: m.userRequired,
    passed: m.passed,
    error: m.error,
  };
}

function statusOf(r: AdvancedAuthorizationResponse): AuthorizeStatus {
  if (r.authorized) return 'authorized';
  if (r.fraud === true) return 'fraud';
  if (r.type === AuthResponseType.FAILED) return 'failed';
  return 'denied';
}

const HEADLINES: Record<AuthorizeStatus, string> = {
  authorized: 'Authorized: the user approved the request.',
  denied: 'Not authorized: the user denied the request.',
  fraud: 'Not authorized: the user reported the request as fraud.',
  failed: 'Not authorized: the request failed on the device.',
  expired: 'Not authorized: the request expired without an answer.',
  canceled: 'Not authorized: the request was canceled.',
  busy: 'Not sent: the user already has a pending authorization request.',
};

interface Sent {
  serviceId: string;
  user: string;
  authRequest: string | null;
  deviceIds: string[] | null;
  pushPackage: string | null;
}

/** The result of an `authorize`; every status has the same JSON keys (`busy` adds `expires` and `fromSameService`). */
function authorizeResult(sent: Sent, status: AuthorizeStatus, r: AdvancedAuthorizationResponse | null): CommandResult {
  const methods = r?.authMethods ?? [];
  const methodsUsed = methods.filter((m) => m.passed === true).map((m) => m.method.toLowerCase());
  const json: Record<string, unknown> = {
    authorized: status === 'authorized',
    status,
    serviceId: sent.serviceId,
    user: sent.user,
    authRequest: sent.authRequest,
    deviceIds: sent.deviceIds,
    pushPackage: sent.pushPackage,
    type: r?.type ?? null,
    reason: r?.reason ?? null,
    denialReason: r?.denialReason ?? null,
    fraud: r?.fraud ?? null,
    deviceId: r?.deviceId ?? null,
    servicePins: r?.servicePins ?? [],
    serviceUserHash: r?.serviceUserHash ?? null,
    organizationUserHash: r?.organizationUserHash ?? null,
    userPushId: r?.userPushId ?? null,
    methodsUsed,
    methods: methods.map(methodJson),
    policy: r?.policy ? r.policy.toJSON() : null,
  };
  const lines = [HEADLINES[status]];
  if (r === null) {
    lines.push(...fields([['Auth request', sent.authRequest]]));
  } else {
    lines.push(
      ...fields([
        ['Auth request', r.authorizationRequestId],
        ['Type', r.type],
        ['Reason', r.reason],
        ['Denial reason', r.denialReason],
        ['Fraud', r.fraud],
        ['Device', r.deviceId],
        ['Methods used', methodsUsed.length > 0 ? methodsUsed : 'none reported'],
        ['Service user hash', r.serviceUserHash],
        ['Org user hash', r.organizationUserHash],
        ['User push id', r.userPushId],
        ['Service PINs', r.servicePins],
      ]),
    );
  }
  return { exitCode: status === 'authorized' ? EXIT_OK : EXIT_NEGATIVE, json, lines };
}

function busyResult(serviceId: string, user: string, err: AuthorizationInProgress): CommandResult {
  const sent: Sent = { serviceId, user, authRequest: err.authorizationRequestId, deviceIds: null, pushPackage: null };
  const result = authorizeResult(sent, 'busy', null);
  const expires = err.expires ? err.expires.toISOString() : null;
  result.json['expires'] = expires;
  result.json['fromSameService'] = err.fromSameService;
  result.lines.push(
    ...fields([
      ['Expires', expires],
      ['From this service', err.fromSameService],
    ]),
  );
  return result;
}

async function runAuthorize(ctx: CommandContext<ServiceClient>): Promise<CommandResult> {
  const interrupt = new AbortController();
  const onSigint = (): void => interrupt.abort();
  process.once('SIGINT', onSigint);
  try {
    return await sendAndWait(ctx, interrupt.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** Sends the request and waits; `signal` is Ctrl-C, listened to from before the request is sent. */
async function sendAndWait(ctx: CommandContext<ServiceClient>, signal: AbortSignal): Promise<CommandResult> {
  const [user] = ctx.args as [string];
  const ttl = intOption(ctx.options['ttl'], 'ttl', 1);
  const count = intOption(ctx.options['denial-reason-count'], 'denial-reason-count', 2);
  let request;
  try {
    request = await ctx.client.authorizationRequest(user, {
      context: stringOption(ctx.options['context']),
      title: stringOption(ctx.options['title']),
      ttl,
      pushTitle: stringOption(ctx.options['push-title']),
      pushBody: stringOption(ctx.options['push-body']),
      denialReasons: count === undefined ? undefined : denialReasons(count),
    });
  } catch (err) {
    if (err instanceof AuthorizationInProgress) return busyResult(ctx.targetId, user, err);
    throw err;
  }
  const ttlSeconds = ttl ?? DEFAULT_AUTH_TTL_SECONDS;
  const devices = request.deviceIds === null ? '' : ` to ${request.deviceIds.length} device(s)`;
  ctx.io.stderr.write(
    `Authorization request ${request.authRequest} sent${devices}; waiting for the answer (up to ${ttlSeconds} s).\n`,
  );
  const sent: Sent = {
    serviceId: ctx.targetId,
    user,
    authRequest: request.authRequest,
    deviceIds: request.deviceIds,
    pushPackage: request.pushPackage,
  };
  let outcome = await waitForAnswer(ctx.client, request.authRequest, { ttlSeconds, stderr: ctx.io.stderr, signal });
  if (outcome.kind === 'interrupted') outcome = await cancelOnInterrupt(ctx, request.authRequest);
  if (outcome.kind === 'answered') return authorizeResult(sent, statusOf(outcome.response), outcome.response);
  return authorizeResult(sent, outcome.kind === 'interrupted' ? 'canceled' : outcome.kind, null);
}

/**
 * Ctrl-C while waiting: cancels the request so that it does not stay on the phone. When the user answered
 * meanwhile, the answer is read instead; a request already canceled or gone counts as canceled.
 */
async function cancelOnInterrupt(ctx: CommandContext<ServiceClient>, authRequest: string): Promise<WaitOutcome> {
  ctx.io.stderr.write('Interrupted: canceling the authorization request.\n');
  try {
    await ctx.client.cancelAuthorizationRequest(authRequest);
  } catch (err) {
    if (err instanceof AuthorizationResponseExists) {
      const response = await ctx.client.getAdvancedAuthorizationResponse(authRequest);
      if (response !== null) return { kind: 'answered', response };
    } else if (!(err instanceof AuthorizationRequestCanceled) && !(err instanceof EntityNotFound)) {
      throw err;
    }
  }
  return { kind: 'canceled' };
}

/** `authorize SERVICE_ID USERNAME`: sends the push, waits for the answer and prints it. */
export const authorize: ServiceCommand = {
  name: 'authorize',
  summary: 'send a push to the user and wait for the answer',
  target: 'service',
  args: ['USERNAME'],
  options: {
    context: { type: 'string', value: 'TEXT', help: 'text shown to the user with the request (up to 400 characters)' },
    title: { type: 'string', value: 'TEXT', help: 'title shown to the user (up to 200 characters)' },
    ttl: { type: 'string', value: 'SECONDS', help: 'lifetime of the request, also the wait limit (API default 300)' },
    'push-title': {
      type: 'string',
      value: 'TEXT',
      help: 'push message title (directory services with push credentials)',
    },
    'push-body': {
      type: 'string',
      value: 'TEXT',
      help: 'push message body (directory services with push credentials)',
    },
    'denial-reason-count': {
      type: 'string',
      value: 'N',
      help: 'offer N >= 2 denial reasons: ids 0..N-1, even ids "not now", odd ids fraud (default: the API\'s reasons)',
    },
    'use-advanced': { type: 'boolean', help: 'accepted for compatibility; the advanced response is always used' },
  },
  run: runAuthorize,
};

/** How a `cancel-auth-request` ended (the JSON `status`). */
export type CancelStatus = 'canceled' | 'already_canceled' | 'already_answered' | 'not_found';

const CANCEL_LINES: Record<CancelStatus, string> = {
  canceled: 'Authorization request canceled.',
  already_canceled: 'Not canceled: the authorization request was already canceled.',
  already_answered: 'Not canceled: the user has already answered the authorization request.',
  not_found: 'Not canceled: no such authorization request for this service.',
};

async function runCancel(ctx: CommandContext<ServiceClient>): Promise<CommandResult> {
  const authRequest = parseUuid(ctx.args[0]);
  if (authRequest === null) throw new CliUsageError(`AUTH_ID must be a UUID, got ${JSON.stringify(ctx.args[0])}`);
  let status: CancelStatus = 'canceled';
  try {
    await ctx.client.cancelAuthorizationRequest(authRequest);
  } catch (err) {
    if (err instanceof AuthorizationRequestCanceled) status = 'already_canceled';
    else if (err instanceof AuthorizationResponseExists) status = 'already_answered';
    else if (err instanceof EntityNotFound) status = 'not_found';
    else throw err;
  }
  return {
    exitCode: status === 'canceled' ? EXIT_OK : EXIT_NEGATIVE,
    json: { canceled: status === 'canceled', status, serviceId: ctx.targetId, authRequest },
    lines: [CANCEL_LINES[status], ...fields([['Auth request', authRequest]])],
  };
}

/** `cancel-auth-request SERVICE_ID AUTH_ID`: cancels a pending request. */
export const cancelAuthRequest: ServiceCommand = {
  name: 'cancel-auth-request',
  summary: 'cancel a pending authorization request',
  target: 'service',
  args: ['AUTH_ID'],
  options: {},
  run: runCancel,
};
