/**
 * The exception hierarchy of the SDK (docs/protocol.md §A5). Class names follow the Python SDK (launchkey 4.0).
 *
 * Every error extends {@link LaunchKeyError}, has `name` equal to its class name and a stable `code`
 * (`"ERR_TRUVALIDATE_<NAME>"` in upper snake case, written out in each class: {@link LaunchKeyErrorCode}) that
 * callers can switch on. API errors extend
 * {@link LaunchKeyAPIException} and also carry the API's `errorCode` (e.g. `"SVC-005"`) and HTTP `statusCode`.
 */
import { ApiErrorResponse } from './transport/api-error-response';

/**
 * Every `code` an SDK error can have, one per error class. Explicit string literals, so that they stay the same
 * whatever a bundler or minifier does to class names.
 */
export const LAUNCHKEY_ERROR_CODES = [
  'ERR_TRUVALIDATE_INSUFFICIENT_RIGHTS',
  'ERR_TRUVALIDATE_INVALID_ENTITY_ID',
  'ERR_TRUVALIDATE_INVALID_PRIVATE_KEY',
  'ERR_TRUVALIDATE_INVALID_ISSUER',
  'ERR_TRUVALIDATE_INVALID_ISSUER_FORMAT',
  'ERR_TRUVALIDATE_INVALID_ISSUER_VERSION',
  'ERR_TRUVALIDATE_INVALID_ALGORITHM',
  'ERR_TRUVALIDATE_INVALID_POLICY_FORMAT',
  'ERR_TRUVALIDATE_DUPLICATE_GEO_FENCE_NAME',
  'ERR_TRUVALIDATE_INVALID_GEO_FENCE_NAME',
  'ERR_TRUVALIDATE_INVALID_FENCE_TYPE',
  'ERR_TRUVALIDATE_DUPLICATE_TIME_FENCE_NAME',
  'ERR_TRUVALIDATE_INVALID_TIME_FENCE_NAME',
  'ERR_TRUVALIDATE_INVALID_TIME_FENCE_START_TIME',
  'ERR_TRUVALIDATE_INVALID_TIME_FENCE_END_TIME',
  'ERR_TRUVALIDATE_MISMATCHED_TIME_FENCE_TIMEZONES',
  'ERR_TRUVALIDATE_UNKNOWN_POLICY_EXCEPTION',
  'ERR_TRUVALIDATE_INVALID_POLICY_ATTRIBUTES',
  'ERR_TRUVALIDATE_LAUNCH_KEY_API_EXCEPTION',
  'ERR_TRUVALIDATE_INVALID_PARAMETERS',
  'ERR_TRUVALIDATE_INVALID_ROUTE',
  'ERR_TRUVALIDATE_SERVICE_NAME_TAKEN',
  'ERR_TRUVALIDATE_INVALID_POLICY_INPUT',
  'ERR_TRUVALIDATE_POLICY_FAILURE',
  'ERR_TRUVALIDATE_SERVICE_NOT_FOUND',
  'ERR_TRUVALIDATE_AUTHORIZATION_IN_PROGRESS',
  'ERR_TRUVALIDATE_AUTHORIZATION_RESPONSE_EXISTS',
  'ERR_TRUVALIDATE_AUTHORIZATION_REQUEST_CANCELED',
  'ERR_TRUVALIDATE_INVALID_DIRECTORY_IDENTIFIER',
  'ERR_TRUVALIDATE_INVALID_PUBLIC_KEY',
  'ERR_TRUVALIDATE_PUBLIC_KEY_ALREADY_IN_USE',
  'ERR_TRUVALIDATE_PUBLIC_KEY_DOES_NOT_EXIST',
  'ERR_TRUVALIDATE_LAST_REMAINING_KEY',
  'ERR_TRUVALIDATE_DIRECTORY_NAME_IN_USE',
  'ERR_TRUVALIDATE_LAST_REMAINING_SDK_KEY',
  'ERR_TRUVALIDATE_INVALID_SDK_KEY',
  'ERR_TRUVALIDATE_UNAUTHORIZED',
  'ERR_TRUVALIDATE_FORBIDDEN',
  'ERR_TRUVALIDATE_ENTITY_NOT_FOUND',
  'ERR_TRUVALIDATE_REQUEST_TIMED_OUT',
  'ERR_TRUVALIDATE_CONFLICT',
  'ERR_TRUVALIDATE_RATE_LIMITED',
  'ERR_TRUVALIDATE_SERVER_ERROR',
  'ERR_TRUVALIDATE_UNEXPECTED_API_RESPONSE',
  'ERR_TRUVALIDATE_UNEXPECTED_DEVICE_RESPONSE',
  'ERR_TRUVALIDATE_INVALID_DEVICE_STATUS',
  'ERR_TRUVALIDATE_JWT_VALIDATION_FAILURE',
  'ERR_TRUVALIDATE_INVALID_JWT_RESPONSE',
  'ERR_TRUVALIDATE_UNEXPECTED_KEY_ID',
  'ERR_TRUVALIDATE_NO_ISSUER_KEY',
  'ERR_TRUVALIDATE_ENTITY_KEY_NOT_FOUND',
  'ERR_TRUVALIDATE_UNEXPECTED_WEBHOOK_REQUEST',
  'ERR_TRUVALIDATE_UNABLE_TO_DECRYPT_WEBHOOK_REQUEST',
  'ERR_TRUVALIDATE_UNABLE_TO_DECRYPT_AUTHORIZATION_RESPONSE',
  'ERR_TRUVALIDATE_UNEXPECTED_AUTHORIZATION_RESPONSE',
  'ERR_TRUVALIDATE_WEBHOOK_AUTHORIZATION_ERROR',
  'ERR_TRUVALIDATE_XIOV_JWT_VALIDATION_FAILURE',
  'ERR_TRUVALIDATE_XIOV_JWT_DECRYPTION_FAILURE',
] as const;

/** The stable machine-readable codes of the SDK's errors (`error.code`). */
export type LaunchKeyErrorCode = (typeof LAUNCHKEY_ERROR_CODES)[number];

/** Base of every error the SDK throws. `code` is stable across releases. */
export abstract class LaunchKeyError extends Error {
  /** The code of this class's errors; every concrete subclass declares its own. */
  static readonly code: LaunchKeyErrorCode | undefined = undefined;
  /** Stable machine-readable code, e.g. `ERR_TRUVALIDATE_ENTITY_KEY_NOT_FOUND` (see {@link LAUNCHKEY_ERROR_CODES}). */
  readonly code: LaunchKeyErrorCode;
  constructor(message?: string, options?: { cause?: unknown }) {
    super(message ?? '', options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    const code = (new.target as unknown as { code?: LaunchKeyErrorCode }).code;
    if (code === undefined) throw new TypeError('an SDK error class must declare its static code');
    this.code = code;
  }
}

/* ----------------------------------------------------------------------------------------------------------------
 * Client-side, non-API errors (direct subclasses of LaunchKeyError)
 * -------------------------------------------------------------------------------------------------------------- */

/** Caller lacks rights for a service (declared by the Python SDK, unused). */
export class InsufficientRights extends LaunchKeyError {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_INSUFFICIENT_RIGHTS';
}
/** An entity id is not a UUID. */
export class InvalidEntityID extends LaunchKeyError {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_INVALID_ENTITY_ID';
}
/** A private key is not a PEM RSA private key (of at least 2048 bits). */
export class InvalidPrivateKey extends LaunchKeyError {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_INVALID_PRIVATE_KEY';
}
/** Issuer type is not one of `svc`, `dir`, `org`. */
export class InvalidIssuer extends LaunchKeyError {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_INVALID_ISSUER';
}
/** A factory entity id is not a UUID. */
export class InvalidIssuerFormat extends LaunchKeyError {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_INVALID_ISSUER_FORMAT';
}
/** A UUID of a required version was of another version (helper only). */
export class InvalidIssuerVersion extends LaunchKeyError {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_INVALID_ISSUER_VERSION';
}
/** Unsupported JWT, JWE or content-hash algorithm. */
export class InvalidAlgorithm extends LaunchKeyError {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_INVALID_ALGORITHM';
}
/** Legacy policy JSON is unparsable or lacks `minimum_requirements`/`factors`. */
export class InvalidPolicyFormat extends LaunchKeyError {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_INVALID_POLICY_FORMAT';
}
/** Geofence name already used in the policy. */
export class DuplicateGeoFenceName extends LaunchKeyError {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_DUPLICATE_GEO_FENCE_NAME';
}
/** Geofence name not found in the policy. */
export class InvalidGeoFenceName extends LaunchKeyError {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_INVALID_GEO_FENCE_NAME';
}
/** Fence object or fence type not allowed or not known. */
export class InvalidFenceType extends LaunchKeyError {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_INVALID_FENCE_TYPE';
}
/** Time fence name already used in the policy. */
export class DuplicateTimeFenceName extends LaunchKeyError {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_DUPLICATE_TIME_FENCE_NAME';
}
/** Time fence name not found in the policy. */
export class InvalidTimeFenceName extends LaunchKeyError {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_INVALID_TIME_FENCE_NAME';
}
/** Time fence start time is not a time of day. */
export class InvalidTimeFenceStartTime extends LaunchKeyError {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_INVALID_TIME_FENCE_START_TIME';
}
/** Time fence end time is not a time of day. */
export class InvalidTimeFenceEndTime extends LaunchKeyError {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_INVALID_TIME_FENCE_END_TIME';
}
/** Time fence start and end time zones differ. */
export class MismatchedTimeFenceTimezones extends LaunchKeyError {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_MISMATCHED_TIME_FENCE_TIMEZONES';
}
/** Policy type unknown to this SDK (or an invalid nested policy type). */
export class UnknownPolicyException extends LaunchKeyError {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_UNKNOWN_POLICY_EXCEPTION';
}
/** Invalid attributes on a policy (nesting rules, requirement). */
export class InvalidPolicyAttributes extends LaunchKeyError {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_INVALID_POLICY_ATTRIBUTES';
}

/* ----------------------------------------------------------------------------------------------------------------
 * API and protocol errors
 * -------------------------------------------------------------------------------------------------------------- */

/**
 * Base of API and protocol errors. `message` is the API's `error_detail` (stringified when an object),
 * `detail` the raw detail, `statusCode` the HTTP status (null for client-side checks), `reason` the HTTP reason
 * phrase or a wrapped cause, `data` the API's `error_data` (or `{}`), `errorCode` the API error code (or null).
 */
export class LaunchKeyAPIException extends LaunchKeyError {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_LAUNCH_KEY_API_EXCEPTION';
  readonly detail: unknown;
  readonly statusCode: number | null;
  readonly reason: unknown;
  readonly data: Record<string, unknown>;
  readonly errorCode: string | null;
  constructor(
    detail?: unknown,
    statusCode: number | null = null,
    reason: unknown = null,
    data: Record<string, unknown> | null = null,
    errorCode: string | null = null,
  ) {
    const message =
      typeof detail === 'string' ? detail : detail === undefined || detail === null ? '' : JSON.stringify(detail);
    super(message, reason instanceof Error ? { cause: reason } : undefined);
    this.detail = detail ?? null;
    this.statusCode = statusCode;
    this.reason = reason;
    this.data = data ?? {};
    this.errorCode = errorCode;
  }
}

/** ARG-001: request parameters invalid (also client-side argument checks). */
export class InvalidParameters extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_INVALID_PARAMETERS';
}
/** ARG-002: path/method combination does not exist. */
export class InvalidRoute extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_INVALID_ROUTE';
}
/** SVC-001: service name already in use. */
export class ServiceNameTaken extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_SERVICE_NAME_TAKEN';
}
/** SVC-002: auth or service policy input invalid. */
export class InvalidPolicyInput extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_INVALID_POLICY_INPUT';
}
/** SVC-003: the user's devices cannot satisfy the policy. */
export class PolicyFailure extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_POLICY_FAILURE';
}
/** SVC-004: service does not exist. */
export class ServiceNotFound extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_SERVICE_NOT_FOUND';
}

/**
 * SVC-005: the user already has a pending authorization request. `authorizationRequestId`, `expires` and
 * `fromSameService` come from the API's `error_data` and are null when it is missing or malformed.
 */
export class AuthorizationInProgress extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_AUTHORIZATION_IN_PROGRESS';
  readonly authorizationRequestId: string | null;
  readonly expires: Date | null;
  readonly fromSameService: boolean | null;
  constructor(
    detail?: unknown,
    statusCode: number | null = null,
    reason: unknown = null,
    data: Record<string, unknown> | null = null,
    errorCode: string | null = 'SVC-005',
  ) {
    super(detail, statusCode, reason, data, errorCode);
    const d = data ?? {};
    const id = d['auth_request'];
    const expires = typeof d['expires'] === 'string' ? new Date(d['expires']) : null;
    const same = d['from_same_service'];
    const valid =
      typeof id === 'string' && expires !== null && !Number.isNaN(expires.getTime()) && typeof same === 'boolean';
    if (!valid && Object.keys(d).length > 0) {
      process.emitWarning(
        'AuthorizationInProgress: error_data failed validation; its properties are null',
        'TruValidateWarning',
      );
    }
    this.authorizationRequestId = valid ? (id as string) : null;
    this.expires = valid ? expires : null;
    this.fromSameService = valid ? (same as boolean) : null;
  }
}

/** SVC-006: the authorization request was already answered. */
export class AuthorizationResponseExists extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_AUTHORIZATION_RESPONSE_EXISTS';
}
/** SVC-007: the authorization request was canceled. */
export class AuthorizationRequestCanceled extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_AUTHORIZATION_REQUEST_CANCELED';
}
/** DIR-001: directory user identifier invalid. */
export class InvalidDirectoryIdentifier extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_INVALID_DIRECTORY_IDENTIFIER';
}
/** KEY-001: public key invalid. */
export class InvalidPublicKey extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_INVALID_PUBLIC_KEY';
}
/** KEY-002: key already added to the entity. */
export class PublicKeyAlreadyInUse extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_PUBLIC_KEY_ALREADY_IN_USE';
}
/** KEY-003: key id unknown. */
export class PublicKeyDoesNotExist extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_PUBLIC_KEY_DOES_NOT_EXIST';
}
/** KEY-004: cannot remove the last public key. */
export class LastRemainingKey extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_LAST_REMAINING_KEY';
}
/** ORG-003: directory name already in use. */
export class DirectoryNameInUse extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_DIRECTORY_NAME_IN_USE';
}
/** ORG-005: cannot remove the last SDK key. */
export class LastRemainingSDKKey extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_LAST_REMAINING_SDK_KEY';
}
/** ORG-006: SDK key does not belong to the directory. */
export class InvalidSDKKey extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_INVALID_SDK_KEY';
}
/** HTTP 401: request authentication rejected (bad key or signature, replayed or expired JWT). */
export class Unauthorized extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_UNAUTHORIZED';
}
/** HTTP 403: not allowed, or entity not visible to the caller. */
export class Forbidden extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_FORBIDDEN';
}
/** HTTP 404: entity not found. */
export class EntityNotFound extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_ENTITY_NOT_FOUND';
}
/** HTTP 408: the request (or the authorization request) timed out or expired. */
export class RequestTimedOut extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_REQUEST_TIMED_OUT';
}
/** HTTP 409 without a mapped error code. */
export class Conflict extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_CONFLICT';
}
/** HTTP 429: too many requests. */
export class RateLimited extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_RATE_LIMITED';
}
/** HTTP 5xx (TS addition; Python lets the HTTP library error escape). */
export class ServerError extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_SERVER_ERROR';
}
/** API body failed validation, or the HTTP exchange itself failed (network, timeout, redirect, size). */
export class UnexpectedAPIResponse extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_UNEXPECTED_API_RESPONSE';
}
/** Device package in an authorization response cannot be decrypted or validated. */
export class UnexpectedDeviceResponse extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_UNEXPECTED_DEVICE_RESPONSE';
}
/** Unknown device status code. */
export class InvalidDeviceStatus extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_INVALID_DEVICE_STATUS';
}
/** Response or request JWT invalid (signature, claims, hashes, bound headers). */
export class JWTValidationFailure extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_JWT_VALIDATION_FAILURE';
}
/** JWT not parsable. */
export class InvalidJWTResponse extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_INVALID_JWT_RESPONSE';
}
/** Package encrypted to a key id the client does not hold. */
export class UnexpectedKeyID extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_UNEXPECTED_KEY_ID';
}
/** No signing key loaded. */
export class NoIssuerKey extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_NO_ISSUER_KEY';
}
/** JWE `kid` not among the entity's keys. */
export class EntityKeyNotFound extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_ENTITY_KEY_NOT_FOUND';
}
/** Webhook cannot be parsed or verified. */
export class UnexpectedWebhookRequest extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_UNEXPECTED_WEBHOOK_REQUEST';
}
/** Webhook body cannot be decrypted. */
export class UnableToDecryptWebhookRequest extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_UNABLE_TO_DECRYPT_WEBHOOK_REQUEST';
}
/** Declared by the Python SDK, unused. */
export class UnableToDecryptAuthorizationResponse extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_UNABLE_TO_DECRYPT_AUTHORIZATION_RESPONSE';
}
/** Decrypted authorization package lacks required data. */
export class UnexpectedAuthorizationResponse extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_UNEXPECTED_AUTHORIZATION_RESPONSE';
}
/** Webhook without an `X-IOV-JWT` header. */
export class WebhookAuthorizationError extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_WEBHOOK_AUTHORIZATION_ERROR';
}
/** Internal: webhook JWT check failed; re-thrown as {@link UnexpectedWebhookRequest}. */
export class XiovJWTValidationFailure extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_XIOV_JWT_VALIDATION_FAILURE';
}
/** Internal: webhook JWE failed; re-thrown as {@link UnableToDecryptWebhookRequest}. */
export class XiovJWTDecryptionFailure extends LaunchKeyAPIException {
  static override readonly code: LaunchKeyErrorCode = 'ERR_TRUVALIDATE_XIOV_JWT_DECRYPTION_FAILURE';
}

type ApiErrorClass = new (
  detail?: unknown,
  statusCode?: number | null,
  reason?: unknown,
  data?: Record<string, unknown> | null,
  errorCode?: string | null,
) => LaunchKeyAPIException;

/** API `error_code` to error class (docs/protocol.md §A2.1). */
export const ERROR_CODE_MAP: Readonly<Record<string, ApiErrorClass>> = Object.freeze({
  'ARG-001': InvalidParameters,
  'ARG-002': InvalidRoute,
  'SVC-001': ServiceNameTaken,
  'SVC-002': InvalidPolicyInput,
  'SVC-003': PolicyFailure,
  'SVC-004': ServiceNotFound,
  'SVC-005': AuthorizationInProgress,
  'SVC-006': AuthorizationResponseExists,
  'SVC-007': AuthorizationRequestCanceled,
  'DIR-001': InvalidDirectoryIdentifier,
  'KEY-001': InvalidPublicKey,
  'KEY-002': PublicKeyAlreadyInUse,
  'KEY-003': PublicKeyDoesNotExist,
  'KEY-004': LastRemainingKey,
  'ORG-003': DirectoryNameInUse,
  'ORG-005': LastRemainingSDKKey,
  'ORG-006': InvalidSDKKey,
});

/** HTTP status to error class, used when no error code maps (docs/protocol.md §A2.1). */
export const STATUS_CODE_MAP: Readonly<Record<number, ApiErrorClass>> = Object.freeze({
  401: Unauthorized,
  403: Forbidden,
  404: EntityNotFound,
  408: RequestTimedOut,
  409: Conflict,
  429: RateLimited,
});

/**
 * Turns an API error answer into the matching error class: the error code first, then the HTTP status, then
 * {@link ServerError} for 5xx, then a plain {@link LaunchKeyAPIException}. The answer is read as an
 * {@link ApiErrorResponse} first.
 *
 * @param body the decrypted error body, or null/undefined when there was none or it could not be read
 * @param statusCode HTTP status of the answer
 * @param reason HTTP reason phrase
 */
export function translateApiError(body: unknown, statusCode: number, reason: string): LaunchKeyAPIException {
  const { errorCode: code, errorDetail: detail, errorData: data } = ApiErrorResponse.fromBody(body, statusCode, reason);
  const byCode = ERROR_CODE_MAP[code];
  if (byCode) return new byCode(detail, statusCode, reason, data, code);
  const byStatus = STATUS_CODE_MAP[statusCode];
  if (byStatus) return new byStatus(detail, statusCode, reason, data, code);
  if (statusCode >= 500) return new ServerError(detail, statusCode, reason, data, code);
  return new LaunchKeyAPIException(detail, statusCode, reason, data, code);
}
