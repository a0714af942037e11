/** ServiceSecurityPolicy: deprecated legacy service policy (docs/protocol.md §A3.5, JSON in §A4.1/§A4.2). */
import { DuplicateGeoFenceName, DuplicateTimeFenceName, InvalidParameters, InvalidTimeFenceName } from '../../errors';
import { isJsonObject, type JsonObject } from '../../entities/schema';
import { AuthPolicy } from './auth-policy';
import { factorItem, type ParsedLegacyPolicy } from './legacy-json';
import { TimeFence, type TimeFenceDays, type TimeOfDay } from './time-fence';

function timeFenceItems(factor: JsonObject): unknown[] | null {
  const attributes = factor['attributes'];
  if (factor['factor'] !== 'timefence' || !isJsonObject(attributes) || !Array.isArray(attributes['time fences']))
    return null;
  return attributes['time fences'] as unknown[];
}

function sameName(item: unknown, wanted: string): boolean {
  return isJsonObject(item) && typeof item['name'] === 'string' && item['name'].toLowerCase() === wanted;
}

/**
 * A legacy service policy with named geofences and time fences. Deprecated: use `LegacyPolicy` or the new policy
 * classes. Sent by `setServicePolicy` exactly as `toJSON()` (no `type`, read by the API as LEGACY).
 */
export class ServiceSecurityPolicy extends AuthPolicy {
  private timefenceList: TimeFence[] = [];

  /** Time fences of the policy (copy). */
  get timefences(): readonly TimeFence[] {
    return [...this.timefenceList];
  }

  /**
   * Adds a named geofence.
   * @throws InvalidParameters when `name` is missing or a value is not numeric
   * @throws DuplicateGeoFenceName when the name (case-insensitive) is already used
   */
  override addGeofence(
    latitude: number | string,
    longitude: number | string,
    radius: number | string,
    name: string | null = null,
  ): void {
    if (typeof name !== 'string') throw new InvalidParameters('A ServiceSecurityPolicy geofence needs a name');
    const wanted = name.toLowerCase();
    if (this.geofences.some((g) => g.name !== null && g.name.toLowerCase() === wanted)) {
      throw new DuplicateGeoFenceName(`A geofence named ${JSON.stringify(name)} already exists`);
    }
    super.addGeofence(latitude, longitude, radius, name);
  }

  /**
   * Adds a time fence. The duplicate check runs before anything is stored.
   * @throws InvalidTimeFenceStartTime / InvalidTimeFenceEndTime / MismatchedTimeFenceTimezones (TimeFence rules)
   * @throws DuplicateTimeFenceName when the name (case-insensitive) is already used
   */
  addTimefence(name: string, startTime: TimeOfDay, endTime: TimeOfDay, days: TimeFenceDays = {}): void {
    const fence = new TimeFence(name, startTime, endTime, days);
    const wanted = name.toLowerCase();
    const factor = this.policy.factors.find((f) => timeFenceItems(f) !== null);
    const items = factor ? timeFenceItems(factor) : null;
    if (
      this.timefenceList.some((t) => t.name.toLowerCase() === wanted) ||
      (items?.some((i) => sameName(i, wanted)) ?? false)
    ) {
      throw new DuplicateTimeFenceName(`A time fence named ${JSON.stringify(name)} already exists`);
    }
    this.timefenceList.push(fence);
    if (items) items.push(fence.toJSON());
    else
      this.policy.factors.push(factorItem('timefence', { 'time fences': [fence.toJSON()] }) as unknown as JsonObject);
  }

  /**
   * Removes the time fence with this name (case-insensitive).
   * @throws InvalidTimeFenceName when no time fence has that name
   */
  removeTimefence(name: string): void {
    const wanted = String(name).toLowerCase();
    const index = this.timefenceList.findIndex((t) => t.name.toLowerCase() === wanted);
    for (const factor of this.policy.factors) {
      const items = timeFenceItems(factor);
      const at = items ? items.findIndex((i) => sameName(i, wanted)) : -1;
      if (items && at >= 0 && index >= 0) {
        items.splice(at, 1);
        this.timefenceList.splice(index, 1);
        return;
      }
    }
    throw new InvalidTimeFenceName(`No time fence named ${JSON.stringify(name)}`);
  }

  protected override parsesTimeFences(): boolean {
    return true;
  }

  protected override applyParsed(parsed: ParsedLegacyPolicy): void {
    super.applyParsed(parsed);
    this.timefenceList = parsed.timefences;
  }
}
