/** The `jti` replay cache of request verification (docs/protocol.md §4.3 step 7). */

/** Remembers each `jti` until its JWT can no longer be valid. */
export class ReplayCache {
  private readonly seen = new Map<string, number>();

  /**
   * Records `jti` as used until `untilSeconds`. Returns false when it was already recorded and has not yet
   * expired (a replay). Expired entries are dropped on the way.
   */
  use(jti: string, untilSeconds: number, nowSeconds: number): boolean {
    if (this.seen.size > 1000) {
      for (const [k, until] of this.seen) if (until < nowSeconds) this.seen.delete(k);
    }
    const until = this.seen.get(jti);
    if (until !== undefined && until >= nowSeconds) return false;
    this.seen.set(jti, untilSeconds);
    return true;
  }
}
