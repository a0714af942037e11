/** The emulator clock: the host clock plus an offset that tests may shift (docs/protocol.md §7.1, §12). */

/** A clock with an adjustable offset. All emulator times (iat/exp, expiry, `api_time`) come from it. */
export class EmulatorClock {
  private offsetMs = 0;

  /** Current emulator time in milliseconds since the epoch. */
  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  /** Current emulator time in whole seconds since the epoch. */
  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  /** Current emulator time as a Date. */
  now(): Date {
    return new Date(this.nowMs());
  }

  /** Moves the clock by `seconds` (may be negative); offsets add up. */
  shift(seconds: number): void {
    this.offsetMs += Math.round(seconds * 1000);
  }

  /** The total offset from the host clock, in seconds. */
  get offsetSeconds(): number {
    return this.offsetMs / 1000;
  }
}
