/**
 * JSON to fence objects (docs/protocol.md §A3.7 `FenceValidator`, `PolicyFenceValidator`; §A4.4 and §A4.5). Internal.
 * Schema failures throw UnexpectedAPIResponse; an unknown fence `type` throws InvalidFenceType.
 */
import { InvalidFenceType } from '../errors';
import { optString, reqNumber, reqString, requireObject, schemaFailure, type JsonObject } from '../entities/schema';
import { GeoCircleFence, TerritoryFence, type Fence } from './fence';

const COUNTRY_RE = /^[A-Z]{2}$/;
const ADMIN_AREA_RE = /^[A-Z]{2}-[A-Z]{2}[A-Z]?$/;

function geoCircle(obj: JsonObject, what: string): GeoCircleFence {
  return new GeoCircleFence(
    reqNumber(obj, 'latitude', what),
    reqNumber(obj, 'longitude', what),
    reqNumber(obj, 'radius', what),
    optString(obj, 'name', what),
  );
}

function postalCode(obj: JsonObject, what: string): string | null {
  const v = obj['postal_code'];
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return optString(obj, 'postal_code', what);
}

/** A TerritoryFence of `country` and `area`, with the `postal_code` and `name` of `obj`. */
function territory(obj: JsonObject, what: string, country: string, area: string | null): TerritoryFence {
  const options = { administrativeArea: area, postalCode: postalCode(obj, what), name: optString(obj, 'name', what) };
  return new TerritoryFence(country, options);
}

function fenceType(obj: JsonObject, what: string): string | null {
  const t = obj['type'];
  if (t === undefined || t === null) return null;
  if (typeof t !== 'string') throw schemaFailure(`${what}: "type" must be a string`, obj);
  return t;
}

/**
 * Parses one fence of an auth response `auth_policy.geofences` (§A3.7 `FenceValidator`): no `type` or `GEO_CIRCLE`
 * gives a GeoCircleFence, `TERRITORY` a TerritoryFence (`country` `^[A-Z]{2}$`, `administrative_area`
 * `^[A-Z]{2}-[A-Z]{2}[A-Z]?$`).
 * @throws InvalidFenceType for any other type
 * @throws UnexpectedAPIResponse when the fence fails the schema
 */
export function parseResponseFence(json: unknown): Fence {
  const what = 'auth_policy fence';
  const obj = requireObject(json, what);
  const type = fenceType(obj, what);
  if (type === null || type === '' || type === 'GEO_CIRCLE') return geoCircle(obj, what);
  if (type === 'TERRITORY') {
    const country = reqString(obj, 'country', what);
    if (!COUNTRY_RE.test(country)) throw schemaFailure(`${what}: "country" must match ^[A-Z]{2}$`, obj);
    const area = optString(obj, 'administrative_area', what);
    if (area !== null && !ADMIN_AREA_RE.test(area))
      throw schemaFailure(`${what}: "administrative_area" must match ^[A-Z]{2}-[A-Z]{2}[A-Z]?$`, obj);
    return territory(obj, what, country, area);
  }
  throw new InvalidFenceType(`Invalid fence type received in Auth Response: ${JSON.stringify(type)}`);
}

/**
 * Checks one fence of a service policy (§A3.7 `PolicyFenceValidator`) without building it: `type` non-empty
 * (absent means GEO_CIRCLE, docs/protocol.md §10.4), `name` when present non-empty, TERRITORY `country` non-empty,
 * GEO_CIRCLE numeric `latitude`, `longitude`, `radius`. Other types pass (rejected by {@link buildPolicyFence}).
 * @throws UnexpectedAPIResponse when the fence fails the schema
 */
export function validatePolicyFence(json: unknown): JsonObject {
  const what = 'policy fence';
  const obj = requireObject(json, what);
  const type = fenceType(obj, what);
  if (type === '') throw schemaFailure(`${what}: "type" must not be empty`, obj);
  if (optString(obj, 'name', what) === '') throw schemaFailure(`${what}: "name" must not be empty when present`, obj);
  if (type === 'TERRITORY') {
    reqString(obj, 'country', what, 1);
    optString(obj, 'administrative_area', what);
    postalCode(obj, what);
  } else if (type === null || type === 'GEO_CIRCLE') {
    reqNumber(obj, 'latitude', what);
    reqNumber(obj, 'longitude', what);
    reqNumber(obj, 'radius', what);
  }
  return obj;
}

/**
 * Builds a fence from a service policy fence that passed {@link validatePolicyFence}.
 * @throws InvalidFenceType when the type is neither GEO_CIRCLE nor TERRITORY
 */
export function buildPolicyFence(obj: JsonObject): Fence {
  const what = 'policy fence';
  const type = fenceType(obj, what);
  if (type === null || type === 'GEO_CIRCLE') return geoCircle(obj, what);
  if (type === 'TERRITORY') {
    return territory(obj, what, reqString(obj, 'country', what, 1), optString(obj, 'administrative_area', what));
  }
  throw new InvalidFenceType(`Invalid fence type ${JSON.stringify(type)}: must be one of ["GEO_CIRCLE", "TERRITORY"]`);
}
