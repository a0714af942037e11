/** The profile handed to `verify`, and the mapping of SDK answers to store results and Passport failures. */
import type { AdvancedAuthorizationResponse } from '../sdk/entities/service';
import type { LoginResult } from './stores/store';

/** What `verify` receives about a login. */
export interface TruValidateProfile {
  /** Always `'truvalidate'`. */
  provider: 'truvalidate';
  /** How the user proved it: a push approved on the device, or a TOTP code. */
  method: 'push' | 'totp';
  /** The username (directory user identifier) the login was for. */
  username: string;
  /** Opaque id of the user for this service; matches a later session-end webhook. Null for TOTP. */
  serviceUserHash: string | null;
  /** The authorization request id; null for TOTP. */
  authRequestId: string | null;
  /** The device that approved; null for TOTP. */
  deviceId: string | null;
  /** Auth methods the device reported (plain JSON); null when absent or for TOTP. */
  authMethods: unknown[] | null;
  /** The policy the device evaluated (plain JSON); null when absent or for TOTP. */
  policy: unknown;
}

/** The failure a denied, fraudulent, expired, canceled or failed login gives to Passport (`info` of `fail`). */
export interface TruValidateFailure {
  /** A sentence for people. */
  message: string;
  /** The login's status. */
  status: 'denied' | 'expired' | 'canceled' | 'failed' | 'busy' | 'invalid' | 'refused' | 'limited';
  /** Why, as a stable token (e.g. `DISAPPROVED`, `FRAUDULENT`, `POLICY`, `EXPIRED`, `CANCELED`, `INVALID_OTP`). */
  reason: string;
  /** True when the user reported the request as fraud. */
  fraud?: boolean;
  /** The denial reason id the user chose, when denied. */
  denialReason?: string | null;
  /** Seconds to wait before trying again (also the `Retry-After` header), for `reason: 'rate_limited'` (HTTP 429). */
  retryAfter?: number;
}

function plain(value: unknown): unknown {
  return value === null || value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
}

/** The result of a login that expired unanswered. */
export const EXPIRED_RESULT: Readonly<LoginResult> = { status: 'expired', reason: 'EXPIRED' };

/** The result of a login canceled by the service. */
export const CANCELED_RESULT: Readonly<LoginResult> = { status: 'canceled', reason: 'CANCELED' };

/** Turns an SDK authorization response into the store's result. */
export function resultFromResponse(response: AdvancedAuthorizationResponse): LoginResult {
  const fraud = response.fraud === true;
  let status: LoginResult['status'];
  if (response.authorized) status = 'authorized';
  else if (response.type === 'FAILED') status = 'failed';
  else status = 'denied';
  return {
    status,
    reason: response.reason ?? (response.authorized ? 'APPROVED' : 'DISAPPROVED'),
    denialReason: response.denialReason,
    fraud,
    serviceUserHash: response.serviceUserHash,
    deviceId: response.deviceId,
    authMethods: response.authMethods === null ? null : (plain(response.authMethods) as unknown[]),
    policy: plain(response.policy),
  };
}

/** The profile of an authorized push login. */
export function pushProfile(username: string, authRequestId: string, result: LoginResult): TruValidateProfile {
  return {
    provider: 'truvalidate',
    method: 'push',
    username,
    serviceUserHash: result.serviceUserHash ?? null,
    authRequestId,
    deviceId: result.deviceId ?? null,
    authMethods: result.authMethods ?? null,
    policy: result.policy ?? null,
  };
}

/** The profile of a TOTP login. */
export function totpProfile(username: string): TruValidateProfile {
  return {
    provider: 'truvalidate',
    method: 'totp',
    username,
    serviceUserHash: null,
    authRequestId: null,
    deviceId: null,
    authMethods: null,
    policy: null,
  };
}

/** The Passport failure of a result that is not `authorized`. */
export function failureOf(result: LoginResult): TruValidateFailure {
  switch (result.status) {
    case 'denied':
      if (result.fraud) {
        return {
          message: 'The login was reported as fraud on the device.',
          status: 'denied',
          reason: 'FRAUDULENT',
          fraud: true,
          denialReason: result.denialReason ?? null,
        };
      }
      return {
        message: 'The login was denied on the device.',
        status: 'denied',
        reason: result.reason ?? 'DISAPPROVED',
        fraud: false,
        denialReason: result.denialReason ?? null,
      };
    case 'expired':
      return { message: 'The login request expired before it was answered.', status: 'expired', reason: 'EXPIRED' };
    case 'canceled':
      return { message: 'The login request was canceled.', status: 'canceled', reason: 'CANCELED' };
    default:
      return {
        message: `The login failed on the device (${result.reason ?? 'unknown reason'}).`,
        status: 'failed',
        reason: result.reason ?? 'FAILED',
      };
  }
}
