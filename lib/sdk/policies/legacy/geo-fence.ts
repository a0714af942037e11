/** Deprecated GeoFence (docs/protocol.md §A3.5; replaced by GeoCircleFence). */
import { InvalidParameters } from '../../errors';
import { emitDeprecation } from '../../utils';
import { toFloat } from '../coerce';

/** A legacy circular geofence. Deprecated: use `GeoCircleFence`. Warns once on construction. */
export class GeoFence {
  readonly latitude: number;
  readonly longitude: number;
  /** Radius in metres. */
  readonly radius: number;
  /** Name, or null when not given or empty. */
  readonly name: string | null;
  /**
   * @throws InvalidParameters when latitude, longitude or radius is not numeric, or the name is not a string
   * @deprecated use GeoCircleFence
   */
  constructor(
    latitude: number | string,
    longitude: number | string,
    radius: number | string,
    name: string | null = null,
  ) {
    emitDeprecation('GeoFence has been deprecated and will be removed in the next major version. Use GeoCircleFence.');
    this.latitude = toFloat(latitude, 'latitude');
    this.longitude = toFloat(longitude, 'longitude');
    this.radius = toFloat(radius, 'radius');
    if (name !== null && name !== undefined && typeof name !== 'string')
      throw new InvalidParameters('geofence name must be a string or null');
    this.name = name ? name : null;
  }
  /** True when `other` is a GeoFence with equal latitude, longitude, radius and name. */
  equals(other: unknown): boolean {
    return (
      other instanceof GeoFence &&
      other.name === this.name &&
      other.latitude === this.latitude &&
      other.longitude === this.longitude &&
      other.radius === this.radius
    );
  }
}
