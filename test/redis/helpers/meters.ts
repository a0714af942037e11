/**
 * Meters of an app instance, for the benchmarks (and the instance stats of the multi-instance tests): CPU spent
 * inside the SDK calls the strategy makes, and the Redis commands the instance sends.
 */
import type { ServiceClient } from 'passport-truvalidate/sdk';
import type { RedisClient } from 'passport-truvalidate/redis';

/** The SDK methods the strategy calls. */
const SDK_METHODS = [
  'authorizationRequest',
  'getAdvancedAuthorizationResponse',
  'sessionStart',
  'sessionEnd',
  'handleAdvancedWebhook',
] as const;

/** What the SDK meter has counted so far. */
export interface SdkMeter {
  /** Calls made. */
  calls: number;
  /**
   * Process CPU (user + system, ms) between the start and the end of each call: the SDK's own work (signing,
   * encryption, HTTP) when the process does nothing else meanwhile, as in a sequential benchmark.
   */
  cpuMs: number;
}

/** Process CPU used so far (user + system, ms). */
export function processCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Wraps the SDK methods the strategy calls on `client` (in place) and returns the live meter. */
export function meterSdk(client: ServiceClient): SdkMeter {
  const meter: SdkMeter = { calls: 0, cpuMs: 0 };
  for (const name of SDK_METHODS) {
    const original = (client[name] as (...args: unknown[]) => Promise<unknown>).bind(client);
    (client as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      const start = process.cpuUsage();
      meter.calls++;
      try {
        return await original(...args);
      } finally {
        const used = process.cpuUsage(start);
        meter.cpuMs += (used.user + used.system) / 1000;
      }
    };
  }
  return meter;
}

/** What the Redis meter has counted so far. */
export interface RedisMeter {
  /** Commands of the strategy's RedisStore (keys with the store prefix, not the session prefix). */
  storeCommands: number;
  /** Commands of the session store (keys with the session prefix). */
  sessionCommands: number;
  /**
   * Round trips: commands sent while no other command of this client was waiting for its reply (commands sent
   * together, e.g. two reads in `Promise.all`, are pipelined and wait once). Exact for one request at a time.
   */
  roundTrips: number;
  /** The round trips opened by a command of the strategy's store. */
  storeRoundTrips: number;
}

/**
 * Counts the commands a single-node `redis` client sends (every command of `createClient()` clients, typed or
 * raw, goes through the client's own `sendCommand`). `sessionPrefix` tells session-store keys apart.
 */
export function meterRedis(client: RedisClient, sessionPrefix: string): RedisMeter {
  const meter: RedisMeter = { storeCommands: 0, sessionCommands: 0, roundTrips: 0, storeRoundTrips: 0 };
  const target =
    (client as unknown as { _self?: Record<string, unknown> })._self ?? (client as unknown as Record<string, unknown>);
  const original = (target['sendCommand'] as (...args: unknown[]) => Promise<unknown>).bind(target);
  let inFlight = 0;
  target['sendCommand'] = async (...args: unknown[]) => {
    const command = Array.isArray(args[0]) ? (args[0] as unknown[]).map(String) : [];
    const session = command.some((arg) => arg.startsWith(sessionPrefix));
    if (session) meter.sessionCommands++;
    else meter.storeCommands++;
    if (inFlight++ === 0) {
      meter.roundTrips++;
      if (!session) meter.storeRoundTrips++;
    }
    try {
      return await original(...args);
    } finally {
      inFlight--;
    }
  };
  return meter;
}
