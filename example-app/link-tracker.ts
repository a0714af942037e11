/**
 * Remembers which device links completed, as the directory's device-link-completion webhooks report them, so a
 * waiting sign-up page learns it at once without asking the API. Bounded: the oldest entries are dropped beyond
 * `maxEntries` (default 10000); entries expire after `ttlMs` (default 15 minutes).
 */
export class LinkTracker {
  private readonly completed = new Map<string, number>();

  /**
   * @param maxEntries most device ids kept (default 10000)
   * @param ttlMs how long a completion is remembered (default 900000 ms)
   */
  constructor(
    private readonly maxEntries = 10_000,
    private readonly ttlMs = 15 * 60_000,
  ) {}

  /** Records that the link of `deviceId` completed. */
  markLinked(deviceId: string, now = Date.now()): void {
    this.completed.delete(deviceId);
    this.completed.set(deviceId, now + this.ttlMs);
    while (this.completed.size > this.maxEntries) {
      const oldest = this.completed.keys().next().value;
      if (oldest === undefined) break;
      this.completed.delete(oldest);
    }
  }

  /** True when a completion of `deviceId` was recorded and has not expired. */
  isLinked(deviceId: string, now = Date.now()): boolean {
    const until = this.completed.get(deviceId);
    if (until === undefined) return false;
    if (until < now) {
      this.completed.delete(deviceId);
      return false;
    }
    return true;
  }
}
