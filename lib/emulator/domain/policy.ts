/**
 * Policies as the authorization flow sees them: validation of the legacy request policy (docs/protocol.md §10.4,
 * malformed -> SVC-002) and the `auth_policy` echo of the device answer (docs/protocol.md §B12.4, §B12.5).
 */
import { isJsonObject, type JsonObject as Json } from '../../sdk/wire';
import { ApiError } from '../api-error';

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function flag(v: unknown): number | null {
  if (v === undefined || v === null) return 0;
  if (v === true) return 1;
  if (v === false) return 0;
  if (v === 0 || v === 1) return v;
  return null;
}

const LEGACY_FACTORS = new Set(['geofence', 'device integrity', 'timefence']);

function invalid(detail: string): ApiError {
  return new ApiError(400, 'SVC-002', `Invalid policy input: ${detail}`);
}

/**
 * Checks a legacy authorization-request policy (`minimum_requirements` + `factors`, Python and Java variants) and
 * throws SVC-002 when it is malformed. Missing lists count as empty.
 */
export function validateLegacyPolicy(policy: unknown): Json {
  if (!isJsonObject(policy)) throw invalid('policy must be an object');
  const reqs = policy['minimum_requirements'] ?? [];
  const factors = policy['factors'] ?? [];
  if (!Array.isArray(reqs)) throw invalid('minimum_requirements must be an array');
  if (!Array.isArray(factors)) throw invalid('factors must be an array');
  for (const r of reqs) {
    if (!isJsonObject(r)) throw invalid('each minimum requirement must be an object');
    if (r['requirement'] !== undefined && r['requirement'] !== 'authenticated')
      throw invalid('requirement must be "authenticated"');
    const any = r['any'] ?? 0;
    if (!isNumber(any) || !Number.isInteger(any) || any < 0) throw invalid('any must be a non-negative integer');
    const flags = ['knowledge', 'inherence', 'possession'].map((k) => flag(r[k]));
    if (flags.some((f) => f === null)) throw invalid('knowledge, inherence and possession must be 0 or 1');
    if (any > 0 && flags.some((f) => f === 1)) throw invalid('any and specific factors are mutually exclusive');
  }
  for (const f of factors) {
    if (!isJsonObject(f) || typeof f['factor'] !== 'string' || !LEGACY_FACTORS.has(f['factor']))
      throw invalid('unknown factor');
    const attributes = f['attributes'];
    if (attributes !== undefined && !isJsonObject(attributes)) throw invalid('factor attributes must be an object');
    if (f['factor'] === 'geofence') {
      const locations = isJsonObject(attributes) ? attributes['locations'] : undefined;
      if (!Array.isArray(locations)) throw invalid('geofence factor needs attributes.locations');
      for (const l of locations) {
        if (!isJsonObject(l) || !isNumber(l['radius']) || !isNumber(l['latitude']) || !isNumber(l['longitude'])) {
          throw invalid('geofence locations need numeric radius, latitude and longitude');
        }
      }
    }
  }
  return policy;
}

/** The `auth_policy` object of a device answer (docs/protocol.md §11.5). */
export interface AuthPolicyEcho {
  requirement: 'amount' | 'types' | 'cond_geo' | null;
  amount: number;
  types: string[];
  geofences: Json[];
}

function legacyEcho(policy: Json): AuthPolicyEcho | null {
  const reqs = Array.isArray(policy['minimum_requirements']) ? (policy['minimum_requirements'] as unknown[]) : [];
  const factors = Array.isArray(policy['factors']) ? (policy['factors'] as unknown[]) : [];
  const geofences: Json[] = [];
  for (const f of factors) {
    if (!isJsonObject(f) || f['factor'] !== 'geofence') continue;
    const attributes = isJsonObject(f['attributes']) ? f['attributes'] : {};
    const locations = Array.isArray(attributes['locations']) ? attributes['locations'] : [];
    for (const l of locations) {
      if (!isJsonObject(l)) continue;
      const fence: Json = { latitude: l['latitude'], longitude: l['longitude'], radius: l['radius'] };
      if (typeof l['name'] === 'string') fence['name'] = l['name'];
      geofences.push(fence);
    }
  }
  const r = reqs.find(isJsonObject);
  if (r) {
    const any = isNumber(r['any']) ? r['any'] : 0;
    if (any > 0) return { requirement: 'amount', amount: any, types: [], geofences };
    const types = ['knowledge', 'inherence', 'possession'].filter((k) => flag(r[k]) === 1);
    if (types.length > 0) return { requirement: 'types', amount: 0, types, geofences };
  }
  if (geofences.length > 0) return { requirement: null, amount: 0, types: [], geofences };
  return null;
}

function fencesOf(policy: Json): Json[] {
  return Array.isArray(policy['fences']) ? (policy['fences'] as unknown[]).filter(isJsonObject) : [];
}

/**
 * The `auth_policy` echo (docs/protocol.md §B12.5): the request's legacy policy if it had one, else the service's
 * stored policy (FACTORS -> `types`, METHOD_AMOUNT -> `amount`, COND_GEO -> `cond_geo` with its fences, LEGACY ->
 * as a request policy). Null (no `auth_policy` key) when neither sets any requirement or fence.
 */
export function authPolicyEcho(requestPolicy: Json | null, servicePolicy: Json | null): AuthPolicyEcho | null {
  if (requestPolicy) return legacyEcho(requestPolicy);
  if (!servicePolicy) return null;
  const type = servicePolicy['type'];
  const fences = fencesOf(servicePolicy);
  if (type === 'FACTORS') {
    const factors = Array.isArray(servicePolicy['factors']) ? (servicePolicy['factors'] as unknown[]) : [];
    const types = factors.filter((f): f is string => typeof f === 'string').map((f) => f.toLowerCase());
    return { requirement: 'types', amount: 0, types, geofences: fences };
  }
  if (type === 'METHOD_AMOUNT') {
    return {
      requirement: 'amount',
      amount: isNumber(servicePolicy['amount']) ? servicePolicy['amount'] : 0,
      types: [],
      geofences: fences,
    };
  }
  if (type === 'COND_GEO') return { requirement: 'cond_geo', amount: 0, types: [], geofences: fences };
  if (type === undefined || type === null || type === 'LEGACY') return legacyEcho(servicePolicy);
  return null;
}
