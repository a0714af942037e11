/**
 * A health check of the TruValidate API for readiness probes and `/healthz` routes: one ping of the API's public
 * ping endpoint through an SDK client, turned into a plain result that never rejects.
 */
import type { PingResult } from '../sdk/transport/types';

/** What {@link healthCheck} resolves to. */
export interface HealthCheckResult {
  /** True when the API answered the ping in time. */
  ok: boolean;
  /** The API's clock as it answered; null when it did not. */
  apiTime: Date | null;
  /** Offset of the API clock from the local clock in ms (API minus local; positive: API ahead); null on failure. */
  clockDriftMs: number | null;
  /** Round-trip time of the ping in ms; null on failure. */
  latencyMs: number | null;
  /** What went wrong, when `ok` is false (the error's message, with its `code` when it has one). */
  error?: string;
}

/** Options of {@link healthCheck}. */
export interface HealthCheckOptions {
  /**
   * Longest wait for the answer in ms; past it the result is `ok: false` (the ping itself still ends at the
   * transport's `timeoutMs`). Default 5000.
   */
  timeoutMs?: number;
}

/** Default {@link HealthCheckOptions.timeoutMs}. */
export const DEFAULT_HEALTH_CHECK_TIMEOUT_MS = 5000;

/** Anything with the SDK clients' `ping()`: a `ServiceClient`, `DirectoryClient` or `OrganizationClient`. */
export interface Pingable {
  ping(): Promise<PingResult>;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

/**
 * Pings the API through `client` and reports reachability, the API's time, the clock drift and the latency.
 * Never rejects and never throws: an unreachable API, a timeout or an unexpected answer gives `ok: false` with
 * `error` set and the other fields null.
 */
export async function healthCheck(client: Pingable, options: HealthCheckOptions = {}): Promise<HealthCheckResult> {
  const limit = options.timeoutMs ?? DEFAULT_HEALTH_CHECK_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the API did not answer the ping within ${limit} ms`)), limit);
    });
    const ping = Promise.resolve().then(() => client.ping());
    ping.catch(() => undefined); // a late failure after the timeout is not an unhandled rejection
    const result = await Promise.race([ping, timeout]);
    return { ok: true, apiTime: result.apiTime, clockDriftMs: result.clockOffsetMs, latencyMs: result.latencyMs };
  } catch (err) {
    return { ok: false, apiTime: null, clockDriftMs: null, latencyMs: null, error: describe(err) };
  } finally {
    clearTimeout(timer);
  }
}
