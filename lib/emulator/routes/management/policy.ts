/**
 * Service policies as the API stores and returns them (docs/protocol.md §B8, §10.4): validation
 * (invalid content -> SVC-002) and normalisation. New-format policies (FACTORS, METHOD_AMOUNT, COND_GEO) get a
 * `fences` array on every level (nested ones `[]`) and both deny flags at the top level (`false` when never set);
 * legacy-form policies (`minimum_requirements` + `factors`) are kept as sent. The Python SDK's own LegacyPolicy
 * form (`amount`, `*_required`, `fences`, `time_restrictions`) is converted to the API legacy form.
 */
import { isJsonObject, type JsonObject as Json } from '../../../sdk/wire';
import { ApiError } from '../../api-error';

/** The policy of a service that never had one set, and after `DELETE .../policy`. */
export function defaultServicePolicy(): Json {
  return { type: 'LEGACY', minimum_requirements: [], factors: [], fences: [] };
}

function bad(message: string): ApiError {
  return new ApiError(400, 'SVC-002', `Invalid policy: ${message}`);
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function flag(value: unknown, what: string): 0 | 1 {
  if (value === undefined || value === null || value === false || value === 0) return 0;
  if (value === true || value === 1) return 1;
  throw bad(`${what} must be 0, 1 or a boolean`);
}

function denyFlag(policy: Json, key: string): boolean {
  const value = policy[key];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw bad(`${key} must be a boolean`);
  return value;
}

/** Validates and normalises one fence of a new-format policy. */
function fence(value: unknown): Json {
  if (!isJsonObject(value)) throw bad('every fence must be an object');
  const type = value['type'] ?? 'GEO_CIRCLE';
  const name = value['name'] ?? null;
  if (name !== null && (typeof name !== 'string' || name === '')) throw bad('a fence name must be a non-empty string');
  if (type === 'GEO_CIRCLE') {
    const { latitude, longitude, radius } = value;
    if (!isNumber(latitude) || latitude < -90 || latitude > 90) throw bad('latitude must be a number from -90 to 90');
    if (!isNumber(longitude) || longitude < -180 || longitude > 180)
      throw bad('longitude must be a number from -180 to 180');
    if (!isNumber(radius) || radius <= 0) throw bad('radius must be a positive number');
    return { ...value, type, name, latitude, longitude, radius };
  }
  if (type === 'TERRITORY') {
    const country = value['country'];
    if (typeof country !== 'string' || !/^[A-Z]{2}$/.test(country))
      throw bad('country must be an ISO 3166-1 alpha-2 code');
    const area = value['administrative_area'] ?? null;
    if (area !== null && (typeof area !== 'string' || !/^[A-Z]{2}-[A-Z]{2}[A-Z]?$/.test(area))) {
      throw bad('administrative_area must be an ISO 3166-2 code such as US-CA');
    }
    const postal = value['postal_code'] ?? null;
    if (postal !== null && typeof postal !== 'string' && !isNumber(postal)) throw bad('postal_code must be a string');
    return {
      ...value,
      type,
      name,
      country,
      administrative_area: area,
      postal_code: postal === null ? null : String(postal),
    };
  }
  throw bad(`unknown fence type ${JSON.stringify(type)}`);
}

function fences(value: unknown): Json[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw bad('fences must be an array');
  return value.map(fence);
}

const FACTORS = ['INHERENCE', 'KNOWLEDGE', 'POSSESSION'];

/** The type-specific part of a METHOD_AMOUNT or FACTORS policy. */
function simplePolicy(policy: Json, type: unknown): Json {
  if (type === 'METHOD_AMOUNT') {
    const amount = policy['amount'];
    if (!Number.isInteger(amount) || (amount as number) < 0 || (amount as number) > 5)
      throw bad('amount must be an integer from 0 to 5');
    return { ...policy, type, amount };
  }
  if (type === 'FACTORS') {
    const factors = policy['factors'];
    if (!Array.isArray(factors) || factors.length === 0) throw bad('factors must be a non-empty array');
    for (const f of factors)
      if (typeof f !== 'string' || !FACTORS.includes(f)) throw bad(`unknown factor ${JSON.stringify(f)}`);
    if (new Set(factors).size !== factors.length) throw bad('factors must not repeat');
    return { ...policy, type, factors: [...factors] };
  }
  throw bad(`type must be METHOD_AMOUNT or FACTORS here, got ${JSON.stringify(type)}`);
}

/** A nested inside/outside policy of COND_GEO: no fences, no deny flags. */
function nested(value: unknown, which: string): Json {
  if (!isJsonObject(value)) throw bad(`${which} must be a policy object`);
  const type = value['type'];
  if (type !== 'METHOD_AMOUNT' && type !== 'FACTORS') throw bad(`${which} must be a METHOD_AMOUNT or FACTORS policy`);
  if (fences(value['fences']).length > 0) throw bad(`${which} must not have fences`);
  for (const key of ['deny_rooted_jailbroken', 'deny_emulator_simulator']) {
    if (value[key] === true) throw bad(`${which} must not set ${key}`);
  }
  const out = simplePolicy(value, type);
  delete out['deny_rooted_jailbroken'];
  delete out['deny_emulator_simulator'];
  return { ...out, fences: [] };
}

/** Validates the API legacy form (`minimum_requirements` + `factors`), returned unchanged. */
function legacyForm(policy: Json): Json {
  const minimum = policy['minimum_requirements'];
  const factors = policy['factors'];
  if (!Array.isArray(minimum)) throw bad('minimum_requirements must be an array');
  if (!Array.isArray(factors)) throw bad('factors must be an array');
  for (const req of minimum) {
    if (!isJsonObject(req)) throw bad('every minimum requirement must be an object');
    const any = req['any'] ?? 0;
    if (!Number.isInteger(any) || (any as number) < 0) throw bad('any must be a non-negative integer');
    const specific =
      flag(req['knowledge'], 'knowledge') + flag(req['inherence'], 'inherence') + flag(req['possession'], 'possession');
    if ((any as number) > 0 && specific > 0) throw bad('any and specific factors are mutually exclusive');
  }
  for (const factor of factors) legacyFactor(factor);
  return policy;
}

function legacyFactor(factor: unknown): void {
  if (!isJsonObject(factor) || typeof factor['factor'] !== 'string')
    throw bad('every factor must be an object with a "factor" name');
  const attributes = factor['attributes'];
  if (!isJsonObject(attributes)) throw bad(`factor ${factor['factor']} needs attributes`);
  switch (factor['factor']) {
    case 'device integrity':
      flag(attributes['factor enabled'], 'factor enabled');
      return;
    case 'geofence': {
      const locations = attributes['locations'];
      if (!Array.isArray(locations)) throw bad('geofence locations must be an array');
      for (const location of locations) fence({ ...(isJsonObject(location) ? location : {}), type: 'GEO_CIRCLE' });
      return;
    }
    case 'timefence': {
      const items = attributes['time fences'];
      if (!Array.isArray(items)) throw bad('time fences must be an array');
      for (const item of items) timeFence(item);
      return;
    }
    default:
      throw bad(`unknown factor ${JSON.stringify(factor['factor'])}`);
  }
}

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function timeFence(item: unknown): void {
  if (!isJsonObject(item)) throw bad('every time fence must be an object');
  if (typeof item['name'] !== 'string' || item['name'] === '') throw bad('a time fence needs a name');
  const days = item['days'];
  if (!Array.isArray(days) || days.some((d) => typeof d !== 'string' || !DAYS.includes(d)))
    throw bad('time fence days must be English day names');
  for (const [key, max] of [
    ['start hour', 23],
    ['end hour', 23],
    ['start minute', 59],
    ['end minute', 59],
  ] as const) {
    const v = item[key];
    if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > max)
      throw bad(`${key} must be an integer from 0 to ${max}`);
  }
  if (typeof item['timezone'] !== 'string' || item['timezone'] === '') throw bad('a time fence needs a timezone');
}

/** Converts the Python SDK's LegacyPolicy form to the API legacy form (docs/protocol.md §A4.2). */
function fromPythonLegacy(policy: Json): Json {
  const amount = policy['amount'] ?? 0;
  if (!Number.isInteger(amount) || (amount as number) < 0) throw bad('amount must be a non-negative integer');
  const knowledge = flag(policy['knowledge_required'], 'knowledge_required');
  const inherence = flag(policy['inherence_required'], 'inherence_required');
  const possession = flag(policy['possession_required'], 'possession_required');
  const out: Json = { type: 'LEGACY', minimum_requirements: [], factors: [] };
  const factors = out['factors'] as Json[];
  if ((amount as number) > 0 || knowledge + inherence + possession > 0) {
    out['minimum_requirements'] = [{ requirement: 'authenticated', any: amount, knowledge, inherence, possession }];
  }
  const geo = fences(policy['fences']);
  if (geo.some((f) => f['type'] !== 'GEO_CIRCLE')) throw bad('a LEGACY policy can only have GEO_CIRCLE fences');
  const forced = { requirement: 'forced requirement', quickfail: false, priority: 1 };
  if (geo.length > 0) {
    const locations = geo.map((f) => {
      const location: Json = { radius: f['radius'], latitude: f['latitude'], longitude: f['longitude'] };
      if (f['name'] !== null) location['name'] = f['name'];
      return location;
    });
    factors.push({ factor: 'geofence', ...forced, attributes: { locations } });
  }
  const times = policy['time_restrictions'];
  if (Array.isArray(times) && times.length > 0)
    factors.push({ factor: 'timefence', ...forced, attributes: { 'time fences': times } });
  if (flag(policy['deny_rooted_jailbroken'], 'deny_rooted_jailbroken') === 1) {
    factors.push({ factor: 'device integrity', ...forced, attributes: { 'factor enabled': 1 } });
  }
  return legacyForm(out);
}

/**
 * Validates a `PUT .../service/policy` `policy` value and returns what the API stores and later returns from
 * `policy/item`. Invalid content: SVC-002 (InvalidPolicyInput).
 */
export function normaliseServicePolicy(input: unknown): Json {
  if (!isJsonObject(input)) throw bad('policy must be an object');
  const type = input['type'];
  if (type === undefined || type === null || type === 'LEGACY') {
    if ('minimum_requirements' in input || 'factors' in input) return legacyForm({ ...input });
    if (type === 'LEGACY') return fromPythonLegacy(input);
    throw bad('a policy without type needs minimum_requirements and factors');
  }
  const base = {
    deny_rooted_jailbroken: denyFlag(input, 'deny_rooted_jailbroken'),
    deny_emulator_simulator: denyFlag(input, 'deny_emulator_simulator'),
  };
  if (type === 'COND_GEO') {
    const geo = fences(input['fences']);
    if (geo.length === 0) throw bad('a COND_GEO policy needs at least one fence');
    return {
      ...input,
      type,
      fences: geo,
      inside: nested(input['inside'], 'inside'),
      outside: nested(input['outside'], 'outside'),
      ...base,
    };
  }
  if (type === 'METHOD_AMOUNT' || type === 'FACTORS') {
    return { ...simplePolicy(input, type), fences: fences(input['fences']), ...base };
  }
  throw bad(`unknown policy type ${JSON.stringify(type)}`);
}
