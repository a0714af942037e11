/**
 * AuthPolicy: the per-request policy of `authorizationRequest` in the legacy factor format (docs/protocol.md §A3.5,
 * JSON in §A4.1). Deprecated in Python in favour of the new policy classes, but still the only policy an authorization
 * request accepts, so the TS SDK keeps it fully supported (it still warns once on construction, as Python does).
 */
import { isDeepStrictEqual } from 'node:util';
import { InvalidGeoFenceName, InvalidParameters } from '../../errors';
import { isJsonObject, type JsonObject } from '../../entities/schema';
import { emitDeprecation } from '../../utils';
import { toAmount } from '../coerce';
import { GeoFence } from './geo-fence';
import {
  factorItem,
  minimumRequirementsJson,
  parseLegacyPolicy,
  readLegacyPolicy,
  type FactorName,
  type LegacyPolicyJSON,
  type ParsedLegacyPolicy,
} from './legacy-json';

/** A factor flag: a boolean, or 0/1 as Python accepts. */
export type FactorFlag = boolean | 0 | 1;

/** Options of {@link AuthPolicy} (Python keyword arguments); every one defaults to 0/false. */
export interface AuthPolicyOptions {
  /** Require any N factors (0 = no amount). Not allowed together with a specific factor. Default 0. */
  any?: number;
  knowledge?: FactorFlag;
  inherence?: FactorFlag;
  possession?: FactorFlag;
  /** Deny rooted or jailbroken devices (the device-integrity factor). Default false. */
  jailbreakProtection?: boolean;
}

/** Options of {@link AuthPolicy.setMinimumRequirements}; every one defaults to 0/false. */
export interface MinimumRequirementsOptions {
  knowledge?: FactorFlag;
  inherence?: FactorFlag;
  possession?: FactorFlag;
  minimumAmount?: number;
}

function checkFlag(value: unknown): value is FactorFlag {
  return value === true || value === false || value === 0 || value === 1;
}

/**
 * A legacy factor policy for one authorization request. An empty policy means "use the service defaults".
 * `toJSON()` gives the wire form of docs/protocol.md §A4.1.
 */
export class AuthPolicy {
  /** The wire object, mutated in place like the Python `_policy` dict. */
  protected policy: { minimum_requirements: unknown[]; factors: JsonObject[] } & JsonObject;
  private geofenceList: GeoFence[] = [];
  private requirementList: FactorName[] = [];
  private amount = 0;
  private jailbreak = false;

  /**
   * @throws InvalidParameters when a factor flag is not a boolean or 0/1, `any` is not a non-negative integer, or
   *   `any` is non-zero together with a specific factor
   */
  constructor(options: AuthPolicyOptions = {}) {
    emitDeprecation(
      `${new.target.name} has been deprecated in the Python SDK in favour of ` +
        `the policy classes; the TS SDK keeps it as the policy type of ` +
        `authorizationRequest.`,
    );
    const { any = 0, knowledge = false, inherence = false, possession = false, jailbreakProtection = false } = options;
    if (!checkFlag(knowledge) || !checkFlag(inherence) || !checkFlag(possession)) {
      throw new InvalidParameters('Inherence, knowledge, or possession input must be a boolean.');
    }
    toAmount(any, 'any');
    if (any !== 0 && (knowledge || inherence || possession)) {
      throw new InvalidParameters('Cannot use "any" with other specific factor requirements');
    }
    this.policy = { minimum_requirements: [], factors: [] };
    this.setMinimumRequirements({ knowledge, inherence, possession, minimumAmount: any });
    this.requireJailbreakProtection(jailbreakProtection);
  }

  /** Geofences of the policy (copy). */
  get geofences(): readonly GeoFence[] {
    return [...this.geofenceList];
  }
  /** Required factor names, in the order knowledge, inherence, possession (copy). */
  get minimumRequirements(): readonly FactorName[] {
    return [...this.requirementList];
  }
  /** Minimum number of factors (0 = none). */
  get minimumAmount(): number {
    return this.amount;
  }
  /** Whether rooted/jailbroken devices are denied. */
  get jailbreakProtection(): boolean {
    return this.jailbreak;
  }

  /**
   * Adds a geofence to the single geofence factor (created on first use).
   * @param name optional name (omitted from the JSON when null)
   * @throws InvalidParameters when latitude, longitude or radius is not numeric
   */
  addGeofence(
    latitude: number | string,
    longitude: number | string,
    radius: number | string,
    name: string | null = null,
  ): void {
    let fence: GeoFence;
    try {
      fence = new GeoFence(latitude, longitude, radius, name);
    } catch (err) {
      if (err instanceof InvalidParameters)
        throw new InvalidParameters('Latitude, Longitude, and Radius must all be numbers.');
      throw err;
    }
    this.geofenceList.push(fence);
    const location: JsonObject = { radius: fence.radius, latitude: fence.latitude, longitude: fence.longitude };
    if (fence.name !== null) location['name'] = fence.name;
    const factor = this.policy.factors.find((f) => f['factor'] === 'geofence');
    const attributes = factor?.['attributes'];
    if (factor && isJsonObject(attributes) && Array.isArray(attributes['locations'])) {
      (attributes['locations'] as unknown[]).push(location);
      return;
    }
    if (factor) {
      factor['attributes'] = { ...(isJsonObject(attributes) ? attributes : {}), locations: [location] };
      return;
    }
    this.policy.factors.push(factorItem('geofence', { locations: [location] }) as unknown as JsonObject);
  }

  /**
   * Removes the geofence with this name (case-insensitive).
   * @throws InvalidGeoFenceName when no geofence has that name
   */
  removeGeofence(name: string): void {
    const wanted = String(name).toLowerCase();
    const index = this.geofenceList.findIndex((g) => g.name !== null && g.name.toLowerCase() === wanted);
    for (const factor of this.policy.factors) {
      const attributes = factor['attributes'];
      if (factor['factor'] !== 'geofence' || !isJsonObject(attributes) || !Array.isArray(attributes['locations']))
        continue;
      const locations = attributes['locations'] as unknown[];
      const at = locations.findIndex(
        (l) => isJsonObject(l) && typeof l['name'] === 'string' && l['name'].toLowerCase() === wanted,
      );
      if (at >= 0 && index >= 0) {
        locations.splice(at, 1);
        this.geofenceList.splice(index, 1);
        return;
      }
    }
    throw new InvalidGeoFenceName(`No geofence named ${JSON.stringify(name)}`);
  }

  /** Enables or disables the device-integrity factor (`factor enabled` 1 or 0). */
  requireJailbreakProtection(status: boolean): void {
    const enabled = status ? 1 : 0;
    this.jailbreak = enabled === 1;
    const factor = this.policy.factors.find((f) => f['factor'] === 'device integrity');
    if (factor) factor['attributes'] = { 'factor enabled': enabled };
    else
      this.policy.factors.push(factorItem('device integrity', { 'factor enabled': enabled }) as unknown as JsonObject);
  }

  /**
   * Replaces the requirement block.
   * @throws InvalidParameters when a flag is not a boolean or 0/1 or the amount is not a non-negative integer
   */
  setMinimumRequirements(options: MinimumRequirementsOptions = {}): void {
    const { knowledge = false, inherence = false, possession = false, minimumAmount = 0 } = options;
    if (!checkFlag(knowledge) || !checkFlag(inherence) || !checkFlag(possession)) {
      throw new InvalidParameters('Inherence, knowledge, or possession input must be a boolean.');
    }
    toAmount(minimumAmount, 'minimumAmount');
    const list: FactorName[] = [];
    if (knowledge) list.push('knowledge');
    if (inherence) list.push('inherence');
    if (possession) list.push('possession');
    this.requirementList = list;
    this.amount = minimumAmount;
    this.policy.minimum_requirements = minimumRequirementsJson(list, minimumAmount);
  }

  /** Deprecated alias of {@link toJSON}. @deprecated use toJSON */
  getPolicy(): LegacyPolicyJSON {
    emitDeprecation(
      'AuthPolicy.getPolicy has been deprecated and will be removed in the next major version. Please use toJSON.',
    );
    return this.toJSON();
  }

  /**
   * The wire form (docs/protocol.md §A4.1), a fresh copy.
   * @throws InvalidParameters when the policy (as loaded by setPolicy) is not JSON serialisable
   */
  toJSON(): LegacyPolicyJSON {
    try {
      return JSON.parse(JSON.stringify(this.policy)) as LegacyPolicyJSON;
    } catch {
      throw new InvalidParameters('Policy input was not JSON serializable. Please verify it is correct.');
    }
  }

  /**
   * Loads a legacy policy (object or JSON text) and re-derives the properties from it. Unlike Python, the
   * properties are reset first instead of accumulating.
   * @throws InvalidPolicyFormat when it is not JSON or lacks `minimum_requirements`/`factors`
   */
  setPolicy(policy: object | string): void {
    const obj = readLegacyPolicy(policy);
    const parsed = parseLegacyPolicy(obj, this.parsesTimeFences());
    this.policy = obj as AuthPolicy['policy'];
    this.applyParsed(parsed);
  }

  /** True when `other` is an AuthPolicy with equal JSON. */
  equals(other: unknown): boolean {
    return other instanceof AuthPolicy && isDeepStrictEqual(this.toJSON(), other.toJSON());
  }

  /** Whether {@link setPolicy} also reads time fences (ServiceSecurityPolicy). */
  protected parsesTimeFences(): boolean {
    return false;
  }

  /** Replaces the derived properties after {@link setPolicy}. */
  protected applyParsed(parsed: ParsedLegacyPolicy): void {
    this.requirementList = parsed.minimumRequirements;
    this.amount = parsed.minimumAmount;
    this.jailbreak = parsed.jailbreakProtection;
    this.geofenceList = parsed.geofences.map((g) => new GeoFence(g.latitude, g.longitude, g.radius, g.name));
  }
}
