/** Deprecated TimeFence (docs/protocol.md §A3.5; still the item type of `LegacyPolicy.timeRestrictions`). */
import {
  InvalidParameters,
  InvalidTimeFenceEndTime,
  InvalidTimeFenceStartTime,
  MismatchedTimeFenceTimezones,
  type LaunchKeyError,
} from '../../errors';
import { emitDeprecation } from '../../utils';

/** A time of day (Python `datetime.time`). `timezone` is an IANA zone name, default `"UTC"`. */
export interface TimeOfDay {
  /** 0 to 23. */
  hour: number;
  /** 0 to 59. */
  minute: number;
  /** IANA time zone, e.g. `"America/New_York"`; default `"UTC"`. */
  timezone?: string;
}

/** Days a time fence applies on; every flag defaults to false. */
export interface TimeFenceDays {
  monday?: boolean;
  tuesday?: boolean;
  wednesday?: boolean;
  thursday?: boolean;
  friday?: boolean;
  saturday?: boolean;
  sunday?: boolean;
}

/** Wire form of a time fence (keys with spaces; docs/protocol.md §A4.1/§A4.2). */
export interface TimeFenceJSON {
  days: string[];
  'start hour': number;
  'end hour': number;
  name: string;
  'start minute': number;
  'end minute': number;
  timezone: string;
}

const DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

/** True when `zone` is an IANA time zone name this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function checkTime(value: unknown, makeError: (message: string) => LaunchKeyError, what: string): Required<TimeOfDay> {
  if (value === null || typeof value !== 'object')
    throw makeError(`${what} must be a time of day { hour, minute, timezone? }`);
  const { hour, minute, timezone } = value as Record<string, unknown>;
  if (typeof hour !== 'number' || !Number.isInteger(hour) || hour < 0 || hour > 23)
    throw makeError(`${what}: hour must be an integer from 0 to 23`);
  if (typeof minute !== 'number' || !Number.isInteger(minute) || minute < 0 || minute > 59)
    throw makeError(`${what}: minute must be an integer from 0 to 59`);
  const zone = timezone ?? 'UTC';
  if (typeof zone !== 'string' || !isTimeZone(zone))
    throw makeError(`${what}: timezone must be an IANA time zone name`);
  return Object.freeze({ hour, minute, timezone: zone });
}

/** A weekly time window. Deprecated (Python), yet the item type of `LegacyPolicy.timeRestrictions`. */
export class TimeFence {
  readonly name: string;
  readonly startTime: Readonly<Required<TimeOfDay>>;
  readonly endTime: Readonly<Required<TimeOfDay>>;
  readonly monday: boolean;
  readonly tuesday: boolean;
  readonly wednesday: boolean;
  readonly thursday: boolean;
  readonly friday: boolean;
  readonly saturday: boolean;
  readonly sunday: boolean;
  /** `"Monday"` ... `"Sunday"` in week order for the flags set. */
  readonly days: readonly string[];
  /** IANA zone of the start (and end) time. */
  readonly timezone: string;
  /**
   * @throws InvalidTimeFenceStartTime / InvalidTimeFenceEndTime when a time is not a valid time of day (or its
   *   zone is not an IANA name)
   * @throws MismatchedTimeFenceTimezones when the two zones differ
   * @deprecated kept for LegacyPolicy and ServiceSecurityPolicy
   */
  constructor(name: string, startTime: TimeOfDay, endTime: TimeOfDay, days: TimeFenceDays = {}) {
    emitDeprecation('TimeFence has been deprecated and will be removed in the next major version.');
    if (typeof name !== 'string') throw new InvalidParameters('time fence name must be a string');
    this.startTime = checkTime(startTime, (m) => new InvalidTimeFenceStartTime(m), 'startTime');
    this.endTime = checkTime(endTime, (m) => new InvalidTimeFenceEndTime(m), 'endTime');
    if (this.startTime.timezone !== this.endTime.timezone) {
      throw new MismatchedTimeFenceTimezones(
        `start time zone ${this.startTime.timezone} differs from end time zone ${this.endTime.timezone}`,
      );
    }
    this.name = name;
    this.monday = days.monday === true;
    this.tuesday = days.tuesday === true;
    this.wednesday = days.wednesday === true;
    this.thursday = days.thursday === true;
    this.friday = days.friday === true;
    this.saturday = days.saturday === true;
    this.sunday = days.sunday === true;
    this.days = Object.freeze(DAY_NAMES.filter((d) => this[d]).map((d) => d[0]!.toUpperCase() + d.slice(1)));
    this.timezone = this.startTime.timezone;
  }
  /** The wire form (§A4.2). */
  toJSON(): TimeFenceJSON {
    return {
      days: [...this.days],
      'start hour': this.startTime.hour,
      'end hour': this.endTime.hour,
      name: this.name,
      'start minute': this.startTime.minute,
      'end minute': this.endTime.minute,
      timezone: this.timezone,
    };
  }
  /** True when `other` is a TimeFence with the same name, times, zone and days. */
  equals(other: unknown): boolean {
    if (!(other instanceof TimeFence)) return false;
    const a = this.toJSON();
    const b = other.toJSON();
    return (
      a.name === b.name &&
      a.timezone === b.timezone &&
      a['start hour'] === b['start hour'] &&
      a['start minute'] === b['start minute'] &&
      a['end hour'] === b['end hour'] &&
      a['end minute'] === b['end minute'] &&
      a.days.join() === b.days.join()
    );
  }
}
