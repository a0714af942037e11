/** Fences of the new policy model (docs/protocol.md §A3.4, JSON in §A4.3; Python `entities.service.policy`). */
import { InvalidParameters } from '../errors';
import { toFloat } from './coerce';

/** JSON form of a {@link GeoCircleFence}. */
export interface GeoCircleFenceJSON {
  type: 'GEO_CIRCLE';
  name: string | null;
  latitude: number;
  longitude: number;
  radius: number;
}

/** JSON form of a {@link TerritoryFence}. */
export interface TerritoryFenceJSON {
  type: 'TERRITORY';
  name: string | null;
  administrative_area: string | null;
  country: string;
  postal_code: string | null;
}

/** JSON form of any fence. */
export type FenceJSON = GeoCircleFenceJSON | TerritoryFenceJSON;

/** Base of every fence of the new policy model. `name` is optional (null when not given). */
export abstract class Fence {
  /** Name of the fence, or null. */
  readonly name: string | null;
  protected constructor(name: string | null | undefined) {
    if (name !== undefined && name !== null && typeof name !== 'string') {
      throw new InvalidParameters(`fence name must be a string or null, got ${JSON.stringify(name)}`);
    }
    this.name = name ?? null;
  }
  /** The fence's JSON form (docs/protocol.md §A4.3). */
  abstract toJSON(): FenceJSON;
  /** True when `other` is a fence of the same class with equal properties. */
  abstract equals(other: unknown): boolean;
}

/** A circle of `radius` metres around a point. Numbers (or numeric strings) are coerced to floats. */
export class GeoCircleFence extends Fence {
  readonly latitude: number;
  readonly longitude: number;
  /** Radius in metres. */
  readonly radius: number;
  /**
   * @param latitude degrees north of the equator
   * @param longitude degrees east of the meridian
   * @param radius metres
   * @param name optional name (default null)
   * @throws InvalidParameters when a value is not numeric
   */
  constructor(
    latitude: number | string,
    longitude: number | string,
    radius: number | string,
    name: string | null = null,
  ) {
    super(name);
    this.latitude = toFloat(latitude, 'latitude');
    this.longitude = toFloat(longitude, 'longitude');
    this.radius = toFloat(radius, 'radius');
  }
  override toJSON(): GeoCircleFenceJSON {
    return {
      type: 'GEO_CIRCLE',
      name: this.name,
      latitude: this.latitude,
      longitude: this.longitude,
      radius: this.radius,
    };
  }
  override equals(other: unknown): boolean {
    return (
      other instanceof GeoCircleFence &&
      other.name === this.name &&
      other.latitude === this.latitude &&
      other.longitude === this.longitude &&
      other.radius === this.radius
    );
  }
}

/** Options of {@link TerritoryFence}; every one defaults to null. */
export interface TerritoryFenceOptions {
  /** ISO 3166-2 subdivision, e.g. `US-CA`. */
  administrativeArea?: string | null;
  /** Postal code; a number is converted to a string. */
  postalCode?: string | number | null;
  name?: string | null;
}

/** A country, optionally narrowed to an administrative area and a postal code. */
export class TerritoryFence extends Fence {
  /** ISO 3166-1 alpha-2 country code, e.g. `US`. */
  readonly country: string;
  readonly administrativeArea: string | null;
  readonly postalCode: string | null;
  /**
   * @param country ISO 3166-1 alpha-2 code
   * @param options administrative area, postal code and name (each default null; empty values become null)
   * @throws InvalidParameters when `country` is not a non-empty string or an option has the wrong type
   */
  constructor(country: string, options: TerritoryFenceOptions = {}) {
    super(options.name);
    if (typeof country !== 'string' || country === '')
      throw new InvalidParameters('country must be a non-empty string');
    const area = options.administrativeArea;
    if (area !== undefined && area !== null && typeof area !== 'string') {
      throw new InvalidParameters('administrativeArea must be a string or null');
    }
    const postal = options.postalCode;
    if (postal !== undefined && postal !== null && typeof postal !== 'string' && typeof postal !== 'number') {
      throw new InvalidParameters('postalCode must be a string, a number or null');
    }
    this.country = country;
    this.administrativeArea = area ? area : null;
    this.postalCode = postal || postal === 0 ? String(postal) : null;
  }
  override toJSON(): TerritoryFenceJSON {
    return {
      type: 'TERRITORY',
      name: this.name,
      administrative_area: this.administrativeArea,
      country: this.country,
      postal_code: this.postalCode,
    };
  }
  override equals(other: unknown): boolean {
    return (
      other instanceof TerritoryFence &&
      other.name === this.name &&
      other.country === this.country &&
      other.administrativeArea === this.administrativeArea &&
      other.postalCode === this.postalCode
    );
  }
}
