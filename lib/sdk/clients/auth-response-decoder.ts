/**
 * Decoding of an authorization response package (docs/protocol.md §11.5, §A3.3): the outer package, then the
 * device package from `auth_jwe` (preferred) or the legacy RSA `auth` (by `public_key_id`, with the
 * docs/protocol.md §13 OP-12 fallback to the key that decrypted the outer body). Used by polling and by the webhook
 * handler.
 */
import { EntityKeyNotFound, UnexpectedDeviceResponse, UnexpectedKeyID } from '../errors';
import {
  AdvancedAuthorizationResponse,
  AuthResponseReason,
  AuthResponseType,
  AuthorizationResponse,
  parseAuthorizationResponsePackage,
  parseJweDevicePackage,
  parseLegacyDevicePackage,
  type AdvancedAuthorizationResponseInit,
  type AuthorizationResponsePackage,
} from '../entities/service';
import { authPolicyFromAuthResponse, parseAuthorizationResponsePolicy } from '../policies';
import { decodeHeader } from '../transport/jose-primitives';
import type { Transport } from '../transport/types';

const ADVICE = 'make sure the authorization request was made with the same key that reads its response';

/** A decoded response before it is turned into one of the two public views. */
export interface DecodedAuthorizationResponse {
  init: Omit<AdvancedAuthorizationResponseInit, 'policy'>;
  /** The raw `auth_policy` of the device package (null when absent or legacy). */
  rawPolicy: unknown;
}

/** The key id in a JWE protected header, or null. */
export function jweKeyId(jwe: string): string | null {
  try {
    const kid = decodeHeader(jwe.trim()).kid;
    return typeof kid === 'string' ? kid : null;
  } catch {
    return null;
  }
}

function deviceFailure(message: string, cause: unknown): UnexpectedDeviceResponse {
  return new UnexpectedDeviceResponse(`${message}; ${ADVICE}`, null, cause);
}

/**
 * Parses the decrypted device package `text` with `parse`: not JSON or failing the schema is
 * `UnexpectedDeviceResponse`.
 */
function parseDevicePackage<T>(text: string, parse: (json: unknown) => T, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (err) {
    throw deviceFailure('the device response is not JSON', err);
  }
  try {
    return parse(json);
  } catch (err) {
    if (err instanceof UnexpectedDeviceResponse) throw err;
    throw deviceFailure(`the device response (${what}) fails its schema`, err);
  }
}

/** The values every decoded response takes from the outer package. */
function packageFields(
  pkg: AuthorizationResponsePackage,
): Pick<AdvancedAuthorizationResponseInit, 'data' | 'serviceUserHash' | 'organizationUserHash' | 'userPushId'> {
  return {
    data: pkg.raw,
    serviceUserHash: pkg.serviceUserHash,
    organizationUserHash: pkg.orgUserHash,
    userPushId: pkg.userPushId,
  };
}

async function fromJwe(
  transport: Transport,
  pkg: AuthorizationResponsePackage,
  authJwe: string,
): Promise<DecodedAuthorizationResponse> {
  let text: string;
  try {
    text = await transport.decryptResponse(authJwe);
  } catch (err) {
    if (err instanceof EntityKeyNotFound) throw err;
    throw deviceFailure('the device response (auth_jwe) cannot be decrypted', err);
  }
  const device = parseDevicePackage(text, parseJweDevicePackage, 'auth_jwe');
  return {
    rawPolicy: device.authPolicy,
    init: {
      ...packageFields(pkg),
      authorizationRequestId: device.authRequest,
      authorized: device.type === AuthResponseType.AUTHORIZED && device.reason === AuthResponseReason.APPROVED,
      type: device.type,
      reason: device.reason,
      denialReason: device.denialReason,
      fraud: device.reason === AuthResponseReason.FRAUDULENT,
      deviceId: device.deviceId,
      servicePins: device.servicePins,
      authMethods: device.authMethods.length > 0 ? device.authMethods : null,
    },
  };
}

function fromLegacy(
  transport: Transport,
  pkg: AuthorizationResponsePackage,
  outerKeyId: string | null,
): DecodedAuthorizationResponse {
  let text: string;
  try {
    try {
      text = transport.decryptRsaResponse(pkg.auth, pkg.publicKeyId);
    } catch (err) {
      // docs/protocol.md §13 OP-12: an unknown public_key_id falls back to the key that decrypted the outer body.
      if (!(err instanceof UnexpectedKeyID) || outerKeyId === null || outerKeyId === pkg.publicKeyId) throw err;
      text = transport.decryptRsaResponse(pkg.auth, outerKeyId);
    }
  } catch (err) {
    if (err instanceof UnexpectedKeyID) throw err;
    throw deviceFailure('the device response (auth) cannot be decrypted', err);
  }
  const device = parseDevicePackage(text, parseLegacyDevicePackage, 'auth');
  return {
    rawPolicy: null,
    init: {
      ...packageFields(pkg),
      authorizationRequestId: device.authRequest,
      authorized: device.response,
      type: null,
      reason: null,
      denialReason: null,
      fraud: null,
      deviceId: device.deviceId,
      servicePins: device.servicePins,
      authMethods: null,
    },
  };
}

/**
 * Decodes an authorization response package.
 * @param json the outer package (auths GET body or decrypted webhook body)
 * @param outerKeyId id of the key that decrypted the outer body (docs/protocol.md §13 OP-12 fallback), or null
 * @throws UnexpectedAPIResponse (outer package fails its schema), UnexpectedDeviceResponse, UnexpectedKeyID,
 *   EntityKeyNotFound
 */
export async function decodeAuthorizationResponse(
  transport: Transport,
  json: unknown,
  outerKeyId: string | null,
): Promise<DecodedAuthorizationResponse> {
  const pkg = parseAuthorizationResponsePackage(json);
  if (pkg.authJwe !== null && pkg.authJwe !== '') return fromJwe(transport, pkg, pkg.authJwe);
  return fromLegacy(transport, pkg, outerKeyId);
}

function wrapPolicyError(err: unknown): never {
  if (err instanceof UnexpectedDeviceResponse) throw err;
  throw deviceFailure('the policy in the device response is invalid', err);
}

/** The {@link AdvancedAuthorizationResponse} view; an invalid `auth_policy` is `UnexpectedDeviceResponse`. */
export function toAdvancedResponse(decoded: DecodedAuthorizationResponse): AdvancedAuthorizationResponse {
  let policy = null;
  try {
    policy =
      decoded.rawPolicy === null || decoded.rawPolicy === undefined
        ? null
        : parseAuthorizationResponsePolicy(decoded.rawPolicy);
  } catch (err) {
    wrapPolicyError(err);
  }
  return new AdvancedAuthorizationResponse({ ...decoded.init, policy });
}

/** The deprecated {@link AuthorizationResponse} view (legacy `authPolicy`). */
export function toLegacyResponse(decoded: DecodedAuthorizationResponse): AuthorizationResponse {
  let authPolicy = null;
  try {
    authPolicy = authPolicyFromAuthResponse(decoded.rawPolicy);
  } catch (err) {
    wrapPolicyError(err);
  }
  return new AuthorizationResponse({ ...decoded.init, authPolicy });
}
