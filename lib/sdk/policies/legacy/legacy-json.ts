/**
 * The legacy factor policy format (docs/protocol.md §A4.1/§A4.2, §10.4) and its parser, shared by
 * `AuthPolicy.setPolicy`, `ServiceSecurityPolicy.setPolicy` and the LEGACY branch of `parseServicePolicy`. Internal.
 */
import { InvalidPolicyFormat } from '../../errors';
import { isJsonObject, type JsonObject } from '../../entities/schema';
import { toFloat } from '../coerce';
import { TimeFence, type TimeFenceDays, type TimeFenceJSON } from './time-fence';

/** One `minimum_requirements` item. */
export interface MinimumRequirementJSON {
  requirement: 'authenticated';
  any: number;
  knowledge: 0 | 1;
  inherence: 0 | 1;
  possession: 0 | 1;
}

/** One `locations` item of the geofence factor (`name` omitted when null). */
export interface GeofenceLocationJSON {
  radius: number;
  latitude: number;
  longitude: number;
  name?: string;
}

/** One `factors` item. */
export interface LegacyFactorJSON {
  factor: string;
  requirement: string;
  quickfail?: boolean;
  priority: number;
  attributes: Record<string, unknown>;
}

/** The legacy policy object (the auth-request `policy`, and a LEGACY service policy). */
export interface LegacyPolicyJSON {
  type?: 'LEGACY';
  minimum_requirements: MinimumRequirementJSON[];
  factors: LegacyFactorJSON[];
}

/** The three factor names of the legacy format. */
export type FactorName = 'knowledge' | 'inherence' | 'possession';

/** What a legacy policy object says, after parsing. */
export interface ParsedLegacyPolicy {
  minimumRequirements: FactorName[];
  minimumAmount: number;
  geofences: { latitude: number; longitude: number; radius: number; name: string | null }[];
  jailbreakProtection: boolean;
  timefences: TimeFence[];
}

/** Builds a forced-requirement factor item (Python form: `quickfail: false`, `priority: 1`). */
export function factorItem(factor: string, attributes: Record<string, unknown>): LegacyFactorJSON {
  return { factor, requirement: 'forced requirement', quickfail: false, priority: 1, attributes };
}

/** Builds the `minimum_requirements` list: `[]` when nothing is required. */
export function minimumRequirementsJson(factors: readonly FactorName[], amount: number): MinimumRequirementJSON[] {
  if (factors.length === 0 && !amount) return [];
  return [
    {
      requirement: 'authenticated',
      any: amount,
      knowledge: factors.includes('knowledge') ? 1 : 0,
      inherence: factors.includes('inherence') ? 1 : 0,
      possession: factors.includes('possession') ? 1 : 0,
    },
  ];
}

/** Reads a legacy policy given as an object or JSON text; checks the two required keys. */
export function readLegacyPolicy(policy: unknown): JsonObject {
  let value = policy;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new InvalidPolicyFormat('policy is not valid JSON');
    }
  }
  if (!isJsonObject(value)) throw new InvalidPolicyFormat('policy must be a JSON object');
  if (!('minimum_requirements' in value) || !('factors' in value)) {
    throw new InvalidPolicyFormat('policy must contain "minimum_requirements" and "factors"');
  }
  if (!Array.isArray(value['minimum_requirements']) || !Array.isArray(value['factors'])) {
    throw new InvalidPolicyFormat('"minimum_requirements" and "factors" must be lists');
  }
  try {
    return JSON.parse(JSON.stringify(value)) as JsonObject;
  } catch {
    throw new InvalidPolicyFormat('policy is not JSON serialisable');
  }
}

function intField(item: JsonObject, key: string): number {
  const v = item[key];
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw new InvalidPolicyFormat(`time fence "${key}" must be an integer`);
  return v;
}

function parseTimeFence(item: unknown): TimeFence {
  if (!isJsonObject(item)) throw new InvalidPolicyFormat('time fence must be an object');
  const t = item as Partial<Record<keyof TimeFenceJSON, unknown>>;
  if (typeof t.name !== 'string') throw new InvalidPolicyFormat('time fence "name" must be a string');
  if (!Array.isArray(t.days) || t.days.some((d) => typeof d !== 'string'))
    throw new InvalidPolicyFormat('time fence "days" must be a list of day names');
  const timezone = t.timezone ?? 'UTC';
  if (typeof timezone !== 'string') throw new InvalidPolicyFormat('time fence "timezone" must be a string');
  const days: TimeFenceDays = {};
  for (const day of t.days as string[]) {
    const key = day.toLowerCase();
    if (!['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].includes(key)) {
      throw new InvalidPolicyFormat(`time fence day ${JSON.stringify(day)} is not a day of the week`);
    }
    days[key as keyof TimeFenceDays] = true;
  }
  return new TimeFence(
    t.name,
    { hour: intField(item, 'start hour'), minute: intField(item, 'start minute'), timezone },
    { hour: intField(item, 'end hour'), minute: intField(item, 'end minute'), timezone },
    days,
  );
}

/**
 * Parses a legacy policy object that passed {@link readLegacyPolicy}: factor flags and amount from
 * `minimum_requirements[0]` (`any` wins over `all`), geofence locations, the device-integrity flag and, when
 * `withTimeFences`, the time fences.
 * @throws InvalidPolicyFormat on malformed items; InvalidParameters for non-numeric geofence values;
 *   TimeFence errors for bad times
 */
export function parseLegacyPolicy(policy: JsonObject, withTimeFences: boolean): ParsedLegacyPolicy {
  const out: ParsedLegacyPolicy = {
    minimumRequirements: [],
    minimumAmount: 0,
    geofences: [],
    jailbreakProtection: false,
    timefences: [],
  };
  const requirements = policy['minimum_requirements'] as unknown[];
  const first = requirements[0];
  if (first !== undefined) {
    if (!isJsonObject(first)) throw new InvalidPolicyFormat('"minimum_requirements" items must be objects');
    for (const name of ['knowledge', 'inherence', 'possession'] as const)
      if (first[name]) out.minimumRequirements.push(name);
    for (const key of ['all', 'any']) {
      const amount = first[key];
      if (!amount) continue;
      if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 0)
        throw new InvalidPolicyFormat(`minimum requirement "${key}" must be a non-negative integer`);
      out.minimumAmount = amount;
    }
  }
  for (const factor of policy['factors'] as unknown[]) {
    if (!isJsonObject(factor)) throw new InvalidPolicyFormat('"factors" items must be objects');
    const attributes = factor['attributes'];
    if (!('factor' in factor) || !isJsonObject(attributes)) continue;
    if (factor['factor'] === 'geofence' && 'locations' in attributes) {
      const locations = attributes['locations'];
      if (!Array.isArray(locations)) throw new InvalidPolicyFormat('geofence "locations" must be a list');
      for (const location of locations) {
        if (!isJsonObject(location)) throw new InvalidPolicyFormat('geofence locations must be objects');
        const name = location['name'];
        if (name !== undefined && name !== null && typeof name !== 'string')
          throw new InvalidPolicyFormat('geofence "name" must be a string');
        out.geofences.push({
          latitude: toFloat(location['latitude'], 'latitude'),
          longitude: toFloat(location['longitude'], 'longitude'),
          radius: toFloat(location['radius'], 'radius'),
          name: name ? name : null,
        });
      }
    } else if (factor['factor'] === 'device integrity' && 'factor enabled' in attributes) {
      if (attributes['factor enabled']) out.jailbreakProtection = true;
    } else if (withTimeFences && factor['factor'] === 'timefence' && 'time fences' in attributes) {
      const fences = attributes['time fences'];
      if (!Array.isArray(fences)) throw new InvalidPolicyFormat('"time fences" must be a list');
      for (const item of fences) out.timefences.push(parseTimeFence(item));
    }
  }
  return out;
}
