/**
 * Auth response `auth_policy` (device package) to objects (docs/protocol.md §A3.7 `AuthPolicyValidator`, §A4.5).
 * Internal: the service client calls these and wraps any error into UnexpectedDeviceResponse.
 */
import { list, optNumber, optString, requireObject, stringList, type JsonObject } from '../entities/schema';
import { emitWarningOnce } from '../utils';
import { AuthorizationResponsePolicy } from './authorization-response-policy';
import { GeoCircleFence, type Fence } from './fence';
import { parseResponseFence } from './fence-parsing';
import { AuthPolicy } from './legacy/auth-policy';
import { Requirement, requirementFromWire } from './requirement';

/** `auth_policy` after the schema check. */
interface ValidatedAuthPolicy {
  requirement: string | null;
  amount: number | null;
  types: string[];
  fences: Fence[];
}

function validate(json: unknown): ValidatedAuthPolicy {
  const what = 'auth_policy';
  const obj: JsonObject = requireObject(json, what);
  const requirement = optString(obj, 'requirement', what);
  return {
    requirement: requirement === '' ? null : requirement,
    amount: optNumber(obj, 'amount', what),
    types: stringList(obj, 'types', what),
    fences: list(obj, 'geofences', what).map(parseResponseFence),
  };
}

/**
 * Parses a device package `auth_policy` into an {@link AuthorizationResponsePolicy} (§A4.5): `requirement`
 * upper-cased to a {@link Requirement} (null or unknown: `OTHER`); `amount` for AMOUNT (default 0); the three
 * factor flags from the (case-insensitive) `types` list for TYPES; fences from `geofences`.
 * @param json the `auth_policy` object (callers treat an absent one as "no policy" themselves)
 * @throws InvalidFenceType for an unknown fence type
 * @throws UnexpectedAPIResponse when it fails the schema
 */
export function parseAuthorizationResponsePolicy(json: unknown): AuthorizationResponsePolicy {
  const v = validate(json);
  const requirement = requirementFromWire(v.requirement);
  const types = v.types.map((t) => t.toLowerCase());
  const isTypes = requirement === Requirement.TYPES;
  return new AuthorizationResponsePolicy({
    requirement,
    amount: requirement === Requirement.AMOUNT ? (v.amount ?? 0) : 0,
    inherenceRequired: isTypes && types.includes('inherence'),
    knowledgeRequired: isTypes && types.includes('knowledge'),
    possessionRequired: isTypes && types.includes('possession'),
    fences: v.fences,
  });
}

/**
 * The legacy view of `auth_policy` for the deprecated `AuthorizationResponse.authPolicy` (§A4.5): `amount` gives
 * `any`; `types` gives the factor flags (unknown names warn once and are ignored); untyped and GEO_CIRCLE fences
 * are added as geofences, other fences warn once and are skipped. Returns null when `json` is null/undefined or
 * there were neither geofences nor factor settings.
 * @throws InvalidFenceType for an unknown fence type
 * @throws UnexpectedAPIResponse when it fails the schema
 */
export function authPolicyFromAuthResponse(json: unknown): AuthPolicy | null {
  if (json === null || json === undefined) return null;
  const v = validate(json);
  const options: { any?: number; knowledge?: boolean; inherence?: boolean; possession?: boolean } = {};
  if (v.requirement === 'amount') {
    options.any = v.amount ?? 0;
  } else if (v.requirement === 'types') {
    for (const item of v.types) {
      const type = item.toLowerCase();
      if (type === 'knowledge' || type === 'inherence' || type === 'possession') options[type] = true;
      else
        emitWarningOnce(
          `Invalid policy type given: ${type}. It will be ignored, but this could signify the need for an update.`,
        );
    }
  }
  if (v.fences.length === 0 && Object.keys(options).length === 0) return null;
  const policy = new AuthPolicy(options);
  for (const fence of v.fences) {
    if (fence instanceof GeoCircleFence) {
      policy.addGeofence(fence.latitude, fence.longitude, fence.radius, fence.name);
    } else {
      emitWarningOnce(
        'A Fence besides GeoCircleFence was present while using legacy functionality. This fence has been skipped ' +
          'from being processed.',
      );
    }
  }
  return policy;
}
