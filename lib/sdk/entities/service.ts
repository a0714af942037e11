/**
 * Service entities of the SDK (docs/protocol.md §A3.3) and their parse functions (§A3.7): authorization requests and
 * responses, auth methods, denial reasons and session-end (logout) requests.
 */
import type { AuthPolicy, AuthorizationResponsePolicy } from '../policies';
import { emitDeprecation } from '../utils';
import { entityClass, type FieldNames } from './entity-class';
import {
  bool,
  list,
  nullableBool,
  optString,
  reqNullableString,
  reqString,
  requireObject,
  schemaFailure,
  stringList,
  type JsonObject,
} from './schema';

/** Outcome type of an authorization response (unknown wire value: `OTHER`). */
export enum AuthResponseType {
  AUTHORIZED = 'AUTHORIZED',
  DENIED = 'DENIED',
  FAILED = 'FAILED',
  OTHER = 'OTHER',
}

/** Reason of an authorization response (unknown wire value: `OTHER`). */
export enum AuthResponseReason {
  APPROVED = 'APPROVED',
  DISAPPROVED = 'DISAPPROVED',
  FRAUDULENT = 'FRAUDULENT',
  POLICY = 'POLICY',
  PERMISSION = 'PERMISSION',
  AUTHENTICATION = 'AUTHENTICATION',
  CONFIGURATION = 'CONFIGURATION',
  BUSY_LOCAL = 'BUSY_LOCAL',
  SENSOR = 'SENSOR',
  OTHER = 'OTHER',
}

/** Authentication method reported by the device (wire value is lower case; unknown: `OTHER`). */
export enum AuthMethodType {
  PIN_CODE = 'PIN_CODE',
  CIRCLE_CODE = 'CIRCLE_CODE',
  GEOFENCING = 'GEOFENCING',
  LOCATIONS = 'LOCATIONS',
  WEARABLES = 'WEARABLES',
  FINGERPRINT = 'FINGERPRINT',
  FACE = 'FACE',
  OTHER = 'OTHER',
}

function enumValue<E extends Record<string, string>>(e: E, wire: string): E[keyof E] {
  const key = wire.toUpperCase();
  return (Object.prototype.hasOwnProperty.call(e, key) ? e[key as keyof E] : e['OTHER' as keyof E]) as E[keyof E];
}

/** Maps a wire `type` to {@link AuthResponseType} (unknown: `OTHER`). */
export function authResponseTypeFromWire(wire: string): AuthResponseType {
  return enumValue(AuthResponseType, wire);
}
/** Maps a wire `reason` to {@link AuthResponseReason} (unknown: `OTHER`). */
export function authResponseReasonFromWire(wire: string): AuthResponseReason {
  return enumValue(AuthResponseReason, wire);
}
/** Maps a wire `method` (lower case) to {@link AuthMethodType} (unknown: `OTHER`). */
export function authMethodTypeFromWire(wire: string): AuthMethodType {
  return enumValue(AuthMethodType, wire);
}

/** A denial reason offered to the user with an authorization request (wire `{id, reason, fraud}`). */
export class DenialReason {
  /**
   * @param denialId id reported back in `denialReason` when the user picks it
   * @param reason text shown to the user
   * @param fraud whether choosing it reports fraud
   */
  constructor(
    readonly denialId: string,
    readonly reason: string,
    readonly fraud: boolean,
  ) {}

  /** Wire form: `{ id, reason, fraud }`. */
  toJSON(): { id: string; reason: string; fraud: boolean } {
    return { id: this.denialId, reason: this.reason, fraud: this.fraud };
  }
}

/** Result of `ServiceClient.authorizationRequest`. */
export class AuthorizationRequest {
  /**
   * @param authRequest the authorization request id
   * @param pushPackage third-party push package, null when absent
   * @param deviceIds devices the request was sent to, null when absent
   */
  constructor(
    readonly authRequest: string,
    readonly pushPackage: string | null = null,
    readonly deviceIds: string[] | null = null,
  ) {}
}

/** Parses the `POST /service/v3/auths` result (`AuthorizeValidator`); failures: `UnexpectedAPIResponse`. */
export function parseAuthorizationRequest(json: unknown): AuthorizationRequest {
  const what = 'authorization request';
  const obj = requireObject(json, what);
  const authRequest = reqString(obj, 'auth_request', what, 1);
  const pushPackage = optString(obj, 'push_package', what);
  if (pushPackage === '') throw schemaFailure(`${what}: "push_package" must not be empty`, obj);
  const deviceIds =
    obj['device_ids'] === undefined || obj['device_ids'] === null ? null : stringList(obj, 'device_ids', what);
  return new AuthorizationRequest(authRequest, pushPackage, deviceIds);
}

/** State of one authentication method on the device during the request. */
export class AuthMethod {
  constructor(
    readonly method: AuthMethodType,
    readonly set: boolean | null,
    readonly active: boolean | null,
    readonly allowed: boolean | null,
    readonly supported: boolean | null,
    readonly userRequired: boolean | null,
    readonly passed: boolean | null,
    readonly error: boolean | null,
  ) {}

  /** Equality on all fields. */
  equals(other: unknown): boolean {
    return (
      other instanceof AuthMethod &&
      other.method === this.method &&
      other.set === this.set &&
      other.active === this.active &&
      other.allowed === this.allowed &&
      other.supported === this.supported &&
      other.userRequired === this.userRequired &&
      other.passed === this.passed &&
      other.error === this.error
    );
  }
}

/** Parses one `auth_methods` item (`AuthMethodsValidator`: null kept, missing key reads `false`). */
export function parseAuthMethod(json: unknown): AuthMethod {
  const what = 'auth method';
  const obj = requireObject(json, what);
  return new AuthMethod(
    authMethodTypeFromWire(reqString(obj, 'method', what)),
    nullableBool(obj, 'set', what),
    nullableBool(obj, 'active', what),
    nullableBool(obj, 'allowed', what),
    nullableBool(obj, 'supported', what),
    nullableBool(obj, 'user_required', what),
    nullableBool(obj, 'passed', what),
    nullableBool(obj, 'error', what),
  );
}

/** The outer authorization response package (the auths GET body or the decrypted webhook body). */
export interface AuthorizationResponsePackage {
  auth: string;
  authJwe: string | null;
  serviceUserHash: string;
  orgUserHash: string | null;
  userPushId: string;
  publicKeyId: string;
  raw: JsonObject;
}

/** Parses the outer package (`AuthorizationResponseValidator`); failures: `UnexpectedAPIResponse`. */
export function parseAuthorizationResponsePackage(json: unknown): AuthorizationResponsePackage {
  const what = 'authorization response';
  const obj = requireObject(json, what);
  return {
    auth: reqString(obj, 'auth', what),
    authJwe: optString(obj, 'auth_jwe', what),
    serviceUserHash: reqString(obj, 'service_user_hash', what),
    orgUserHash: reqNullableString(obj, 'org_user_hash', what),
    userPushId: reqString(obj, 'user_push_id', what),
    publicKeyId: reqString(obj, 'public_key_id', what),
    raw: obj,
  };
}

/** The decrypted `auth_jwe` device package (`JWEAuthorizationResponsePackageValidator`). */
export interface JweDevicePackage {
  authRequest: string;
  type: AuthResponseType;
  reason: AuthResponseReason;
  denialReason: string | null;
  deviceId: string;
  servicePins: string[];
  /** The raw `auth_policy` object, or null when absent. */
  authPolicy: unknown;
  authMethods: AuthMethod[];
}

/** Parses a decrypted `auth_jwe` package; failures: `UnexpectedAPIResponse`. */
export function parseJweDevicePackage(json: unknown): JweDevicePackage {
  const what = 'device response (auth_jwe)';
  const obj = requireObject(json, what);
  const policy = obj['auth_policy'];
  if (policy !== undefined && policy !== null) requireObject(policy, `${what} auth_policy`);
  return {
    authRequest: reqString(obj, 'auth_request', what),
    type: authResponseTypeFromWire(reqString(obj, 'type', what)),
    reason: authResponseReasonFromWire(reqString(obj, 'reason', what)),
    denialReason: optString(obj, 'denial_reason', what),
    deviceId: reqString(obj, 'device_id', what),
    servicePins: stringList(obj, 'service_pins', what),
    authPolicy: policy ?? null,
    authMethods: list(obj, 'auth_methods', what).map(parseAuthMethod),
  };
}

/** The decrypted legacy `auth` device package (`AuthorizationResponsePackageValidator`). */
export interface LegacyDevicePackage {
  authRequest: string;
  response: boolean;
  deviceId: string;
  servicePins: string[];
}

/** Parses a decrypted legacy `auth` package; failures: `UnexpectedAPIResponse`. */
export function parseLegacyDevicePackage(json: unknown): LegacyDevicePackage {
  const what = 'device response (auth)';
  const obj = requireObject(json, what);
  return {
    authRequest: reqString(obj, 'auth_request', what),
    response: bool(obj, 'response', what),
    deviceId: reqString(obj, 'device_id', what),
    servicePins: stringList(obj, 'service_pins', what),
  };
}

/** Values of an {@link AdvancedAuthorizationResponse}. */
export interface AdvancedAuthorizationResponseInit {
  /** The raw outer package. */
  data: JsonObject;
  authorizationRequestId: string;
  authorized: boolean;
  type: AuthResponseType | null;
  reason: AuthResponseReason | null;
  /** Id of the denial reason the user chose, when denied. */
  denialReason: string | null;
  fraud: boolean | null;
  deviceId: string;
  servicePins: string[];
  /** Stable id of the user for this service: matches a later {@link SessionEndRequest}. */
  serviceUserHash: string;
  organizationUserHash: string | null;
  userPushId: string;
  /** The policy the device evaluated, null when absent. */
  policy: AuthorizationResponsePolicy | null;
  /** Per-method evaluation, null when absent or empty. */
  authMethods: AuthMethod[] | null;
}

/** Values of an {@link AuthorizationResponse}: those of the advanced response without `policy`, plus `authPolicy`. */
export type AuthorizationResponseInit = Omit<AdvancedAuthorizationResponseInit, 'policy'> & {
  /** The policy the device evaluated in the legacy shape, null when absent. */
  authPolicy: AuthPolicy | null;
};

/** The field names both authorization response classes share. */
const RESPONSE_FIELDS: FieldNames<Omit<AdvancedAuthorizationResponseInit, 'policy'>> = {
  data: true,
  authorizationRequestId: true,
  authorized: true,
  type: true,
  reason: true,
  denialReason: true,
  fraud: true,
  deviceId: true,
  servicePins: true,
  serviceUserHash: true,
  organizationUserHash: true,
  userPushId: true,
  authMethods: true,
};

/**
 * The user's answer to an authorization request (from polling or from the webhook). `authorized` is true only
 * for `type` AUTHORIZED with `reason` APPROVED (docs/protocol.md §13 OP-9); for a legacy package it is the package's
 * `response`, and `type`, `reason`, `denialReason`, `fraud` are null.
 */
export class AdvancedAuthorizationResponse extends entityClass<AdvancedAuthorizationResponseInit>({
  ...RESPONSE_FIELDS,
  policy: true,
}) {
  /** Discriminator for exhaustive `switch` over webhook results. */
  readonly kind = 'authorization-response' as const;
}

/**
 * @deprecated Replaced by {@link AdvancedAuthorizationResponse}. Same data, with the evaluated policy in the legacy
 * {@link AuthPolicy} shape (`authPolicy`) instead of `policy`.
 */
export class AuthorizationResponse extends entityClass<AuthorizationResponseInit>({
  ...RESPONSE_FIELDS,
  authPolicy: true,
}) {
  /** Discriminator for exhaustive `switch` over webhook results. */
  readonly kind = 'authorization-response' as const;

  constructor(init: AuthorizationResponseInit) {
    emitDeprecation('AuthorizationResponse is deprecated; use AdvancedAuthorizationResponse');
    super(init);
  }
}

/**
 * A logout request from the user's device (session-end webhook).
 *
 * `logoutRequested` is a `Date` (docs/protocol.md §11.6): the parsed `api_time`. The Python SDK gives Unix seconds;
 * use `logoutRequested.getTime() / 1000` for that form.
 */
export class SessionEndRequest {
  /** Discriminator for exhaustive `switch` over webhook results. */
  readonly kind = 'session-end' as const;

  /**
   * @param serviceUserHash the user whose session ended (matches `AdvancedAuthorizationResponse.serviceUserHash`)
   * @param logoutRequested when the logout was requested
   */
  constructor(
    readonly serviceUserHash: string,
    readonly logoutRequested: Date,
  ) {}
}
