/** Server time drift from `GET /public/v3/ping`, cached per transport (docs/protocol.md §7.1, §13 OP-6, OP-7). */
import { API_CACHE_TIME } from '../constants';
import { UnexpectedAPIResponse } from '../errors';
import { parseIsoDate } from '../utils';
import type { HttpTransport } from './http-transport';
import type { PingResult } from './types';

export type { PingResult };

/** Path of the ping endpoint. */
export const PING_PATH = '/public/v3/ping';

/**
 * Keeps the offset between the API clock and the local clock, refreshed by a ping when older than
 * `ttlSeconds` (default {@link API_CACHE_TIME}, 300 s). Concurrent callers share one ping.
 */
export class ServerClock {
  private offsetMs = 0;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly http: HttpTransport,
    private readonly ttlSeconds: number = API_CACHE_TIME,
  ) {}

  /** Server-adjusted now in seconds (fractional), pinging first when the offset is stale. */
  async now(): Promise<number> {
    if (Date.now() - this.fetchedAt >= this.ttlSeconds * 1000) await this.refresh();
    return this.cachedNow();
  }

  /** Server-adjusted now in seconds (fractional) with the offset as cached, without pinging. */
  cachedNow(): number {
    return (Date.now() + this.offsetMs) / 1000;
  }

  /** The cached offset in milliseconds (API time minus local time). */
  get offsetMilliseconds(): number {
    return this.offsetMs;
  }

  /** Forgets the cached offset so the next call pings again. */
  invalidate(): void {
    this.fetchedAt = Number.NEGATIVE_INFINITY;
  }

  private refresh(): Promise<void> {
    if (!this.inFlight) {
      this.inFlight = this.ping()
        .then(() => undefined)
        .finally(() => {
          this.inFlight = null;
        });
    }
    return this.inFlight;
  }

  /**
   * Pings the API now (never from the cache), refreshes the cached offset with the result and returns it.
   * @throws UnexpectedAPIResponse when the API cannot be reached in time or answers anything but 200 with an
   *   `api_time`
   */
  async ping(): Promise<PingResult> {
    const startedAt = Date.now();
    const started = performance.now();
    const res = await this.http.send('GET', PING_PATH);
    const latencyMs = performance.now() - started;
    if (res.status !== 200) throw new UnexpectedAPIResponse(`ping answered HTTP ${res.status}`, res.status, res.reason);
    let apiTime: unknown;
    try {
      apiTime = (JSON.parse(res.body) as { api_time?: unknown } | null)?.api_time;
    } catch (err) {
      throw new UnexpectedAPIResponse('ping answered a body that is not JSON', res.status, err);
    }
    const date = parseIsoDate(apiTime);
    if (!date)
      throw new UnexpectedAPIResponse(
        `ping answered no parseable api_time (${JSON.stringify(apiTime)})`,
        res.status,
        res.reason,
      );
    const clockOffsetMs = date.getTime() - (startedAt + latencyMs / 2);
    this.offsetMs = clockOffsetMs;
    this.fetchedAt = Date.now();
    return { apiTime: date, latencyMs, clockOffsetMs };
  }
}
