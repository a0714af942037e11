/**
 * The exception hierarchy of the SDK (docs/protocol.md §A5). Class names follow the Python SDK (launchkey 4.0).
 *
 * Every error extends {@link LaunchKeyError}, has `name` equal to its class name and a stable `code`
 * (`"ERR_TRUVALIDATE_<NAME>"` in upper snake case) that callers can switch on. API errors extend
 * {@link LaunchKeyAPIException} and also carry the API's `errorCode` (e.g. `"SVC-005"`) and HTTP `statusCode`.
 */
import { ApiErrorResponse } from './transport/api-error-response';

function toSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').toUpperCase();
}

/** Base of every error the SDK throws. `code` is stable across releases. */
export abstract class LaunchKeyError extends Error {
  /** Stable machine-readable code, e.g. `ERR_TRUVALIDATE_ENTITY_KEY_NOT_FOUND`. */
  readonly code: string;
  constructor(message?: string, options?: { cause?: unknown }) {
    super(message ?? '', options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = `ERR_TRUVALIDATE_${toSnake(new.target.name)}`;
  }
}

/* ----------------------------------------------------------------------------------------------------------------
 * Client-side, non-API errors (direct subclasses of LaunchKeyError)
 * -------------------------------------------------------------------------------------------------------------- */

/** Caller lacks rights for a service (declared by the Python SDK, unused). */
export class InsufficientRights extends LaunchKeyError {}
/** An entity id is not a UUID. */
export class InvalidEntityID extends LaunchKeyError {}
/** A private key is not a PEM RSA private key (of at least 2048 bits). */
export class InvalidPrivateKey extends LaunchKeyError {}
/** Issuer type is not one of `svc`, `dir`, `org`. */
export class InvalidIssuer extends LaunchKeyError {}
/** A factory entity id is not a UUID. */
export class InvalidIssuerFormat extends LaunchKeyError {}
/** A UUID of a required version was of another version (helper only). */
export class InvalidIssuerVersion extends LaunchKeyError {}
/** Unsupported JWT, JWE or content-hash algorithm. */
export class InvalidAlgorithm extends LaunchKeyError {}
/** Legacy policy JSON is unparsable or lacks `minimum_requirements`/`factors`. */
export class InvalidPolicyFormat extends LaunchKeyError {}
/** Geofence name already used in the policy. */
export class DuplicateGeoFenceName extends LaunchKeyError {}
/** Geofence name not found in the policy. */
export class InvalidGeoFenceName extends LaunchKeyError {}
/** Fence object or fence type not allowed or not known. */
export class InvalidFenceType extends LaunchKeyError {}
/** Time fence name already used in the policy. */
export class DuplicateTimeFenceName extends LaunchKeyError {}
/** Time fence name not found in the policy. */
export class InvalidTimeFenceName extends LaunchKeyError {}
/** Time fence start time is not a time of day. */
export class InvalidTimeFenceStartTime extends LaunchKeyError {}
/** Time fence end time is not a time of day. */
export class InvalidTimeFenceEndTime extends LaunchKeyError {}
/** Time fence start and end time zones differ. */
export class MismatchedTimeFenceTimezones extends LaunchKeyError {}
/** Policy type unknown to this SDK (or an invalid nested policy type). */
export class UnknownPolicyException extends LaunchKeyError {}
/** Invalid attributes on a policy (nesting rules, requirement). */
export class InvalidPolicyAttributes extends LaunchKeyError {}

/* ----------------------------------------------------------------------------------------------------------------
 * API and protocol errors
 * -------------------------------------------------------------------------------------------------------------- */

/**
 * Base of API and protocol errors. `message` is the API's `error_detail` (stringified when an object),
 * `detail` the raw detail, `statusCode` the HTTP status (null for client-side checks), `reason` the HTTP reason
 * phrase or a wrapped cause, `data` the API's `error_data` (or `{}`), `errorCode` the API error code (or null).
 */
export class LaunchKeyAPIException extends LaunchKeyError {
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
    const message = typeof detail === 'string' ? detail : detail === undefined || detail === null ? '' : JSON.stringify(detail);
    super(message, reason instanceof Error ? { cause: reason } : undefined);
    this.detail = detail ?? null;
    this.statusCode = statusCode;
    this.reason = reason;
    this.data = data ?? {};
    this.errorCode = errorCode;
  }
}

/** ARG-001: request parameters invalid (also client-side argument checks). */
export class InvalidParameters extends LaunchKeyAPIException {}
/** ARG-002: path/method combination does not exist. */
export class InvalidRoute extends LaunchKeyAPIException {}
/** SVC-001: service name already in use. */
export class ServiceNameTaken extends LaunchKeyAPIException {}
/** SVC-002: auth or service policy input invalid. */
export class InvalidPolicyInput extends LaunchKeyAPIException {}
/** SVC-003: the user's devices cannot satisfy the policy. */
export class PolicyFailure extends LaunchKeyAPIException {}
/** SVC-004: service does not exist. */
export class ServiceNotFound extends LaunchKeyAPIException {}

/**
 * SVC-005: the user already has a pending authorization request. `authorizationRequestId`, `expires` and
 * `fromSameService` come from the API's `error_data` and are null when it is missing or malformed.
 */
export class AuthorizationInProgress extends LaunchKeyAPIException {
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
    const valid = typeof id === 'string' && expires !== null && !Number.isNaN(expires.getTime()) && typeof same === 'boolean';
    if (!valid && Object.keys(d).length > 0) {
      process.emitWarning('AuthorizationInProgress: error_data failed validation; its properties are null', 'TruValidateWarning');
    }
    this.authorizationRequestId = valid ? (id as string) : null;
    this.expires = valid ? expires : null;
    this.fromSameService = valid ? (same as boolean) : null;
  }
}

/** SVC-006: the authorization request was already answered. */
export class AuthorizationResponseExists extends LaunchKeyAPIException {}
/** SVC-007: the authorization request was canceled. */
export class AuthorizationRequestCanceled extends LaunchKeyAPIException {}
/** DIR-001: directory user identifier invalid. */
export class InvalidDirectoryIdentifier extends LaunchKeyAPIException {}
/** KEY-001: public key invalid. */
export class InvalidPublicKey extends LaunchKeyAPIException {}
/** KEY-002: key already added to the entity. */
export class PublicKeyAlreadyInUse extends LaunchKeyAPIException {}
/** KEY-003: key id unknown. */
export class PublicKeyDoesNotExist extends LaunchKeyAPIException {}
/** KEY-004: cannot remove the last public key. */
export class LastRemainingKey extends LaunchKeyAPIException {}
/** ORG-003: directory name already in use. */
export class DirectoryNameInUse extends LaunchKeyAPIException {}
/** ORG-005: cannot remove the last SDK key. */
export class LastRemainingSDKKey extends LaunchKeyAPIException {}
/** ORG-006: SDK key does not belong to the directory. */
export class InvalidSDKKey extends LaunchKeyAPIException {}
/** HTTP 401: request authentication rejected (bad key or signature, replayed or expired JWT). */
export class Unauthorized extends LaunchKeyAPIException {}
/** HTTP 403: not allowed, or entity not visible to the caller. */
export class Forbidden extends LaunchKeyAPIException {}
/** HTTP 404: entity not found. */
export class EntityNotFound extends LaunchKeyAPIException {}
/** HTTP 408: the request (or the authorization request) timed out or expired. */
export class RequestTimedOut extends LaunchKeyAPIException {}
/** HTTP 409 without a mapped error code. */
export class Conflict extends LaunchKeyAPIException {}
/** HTTP 429: too many requests. */
export class RateLimited extends LaunchKeyAPIException {}
/** HTTP 5xx (TS addition; Python lets the HTTP library error escape). */
export class ServerError extends LaunchKeyAPIException {}
/** API body failed validation, or the HTTP exchange itself failed (network, timeout, redirect, size). */
export class UnexpectedAPIResponse extends LaunchKeyAPIException {}
/** Device package in an authorization response cannot be decrypted or validated. */
export class UnexpectedDeviceResponse extends LaunchKeyAPIException {}
/** Unknown device status code. */
export class InvalidDeviceStatus extends LaunchKeyAPIException {}
/** Response or request JWT invalid (signature, claims, hashes, bound headers). */
export class JWTValidationFailure extends LaunchKeyAPIException {}
/** JWT not parsable. */
export class InvalidJWTResponse extends LaunchKeyAPIException {}
/** Package encrypted to a key id the client does not hold. */
export class UnexpectedKeyID extends LaunchKeyAPIException {}
/** No signing key loaded. */
export class NoIssuerKey extends LaunchKeyAPIException {}
/** JWE `kid` not among the entity's keys. */
export class EntityKeyNotFound extends LaunchKeyAPIException {}
/** Webhook cannot be parsed or verified. */
export class UnexpectedWebhookRequest extends LaunchKeyAPIException {}
/** Webhook body cannot be decrypted. */
export class UnableToDecryptWebhookRequest extends LaunchKeyAPIException {}
/** Declared by the Python SDK, unused. */
export class UnableToDecryptAuthorizationResponse extends LaunchKeyAPIException {}
/** Decrypted authorization package lacks required data. */
export class UnexpectedAuthorizationResponse extends LaunchKeyAPIException {}
/** Webhook without an `X-IOV-JWT` header. */
export class WebhookAuthorizationError extends LaunchKeyAPIException {}
/** Internal: webhook JWT check failed; re-thrown as {@link UnexpectedWebhookRequest}. */
export class XiovJWTValidationFailure extends LaunchKeyAPIException {}
/** Internal: webhook JWE failed; re-thrown as {@link UnableToDecryptWebhookRequest}. */
export class XiovJWTDecryptionFailure extends LaunchKeyAPIException {}

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
