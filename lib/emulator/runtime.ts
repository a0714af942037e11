/** What every part of a running emulator shares: state, clock, settings, logs. */
import type { JweAlgorithm } from '../sdk/wire';
import type { EmulatorClock } from './clock';
import type { RetentionLimits } from './retention-limits';
import type { ReplayCache } from './http/replay-cache';
import type { EmulatorState } from './state/state';
import type { WebhookDelivery } from './webhook-types';

/** The shared runtime of one emulator instance, handed to route handlers as `ctx.runtime`. */
export interface EmulatorRuntime {
  state: EmulatorState;
  clock: EmulatorClock;
  /**
   * Base of every URL the emulator hands out (QR code URLs, `credentials.json`), no trailing slash: the `publicUrl`
   * option, else the listening URL such as `http://127.0.0.1:8080`.
   */
  url: string;
  /** The `Host` values the control API and the simulator page answer (see `http/control-guard.ts`). */
  controlHosts: Set<string>;
  /** Leeway in seconds for request JWT times (default 5). */
  leewaySeconds: number;
  /** `alg` of the JWEs the emulator sends (default `RSA-OAEP-256`). */
  jweAlgorithm: JweAlgorithm;
  /**
   * Add `type: "AUTHORIZATION_RESPONSE"` to authorization response webhook bodies (default false,
   * docs/protocol.md §11.4).
   */
  authResponseType: boolean;
  /** RSA key size of generated keys (device keys, rotated API keys). */
  keyBits: number;
  /** Logger of the emulator (401 reasons, webhook deliveries). */
  log(line: string): void;
  /** Every webhook delivery attempt, oldest first. */
  webhookLog: WebhookDelivery[];
  /** Bounds of the finished authorization requests and the webhook log kept. */
  retention: RetentionLimits;
  /** Seen request `jti` values. */
  replayCache: ReplayCache;
}
