/** Figures of a running emulator for benchmarks: its process CPU time and its state writes. */
import type { EmulatorRuntime } from './runtime';

/** What `GET /_emulator/stats` answers. */
export interface EmulatorStats {
  /** CPU time of the emulator's process so far, in microseconds (`process.cpuUsage()`). */
  cpuUserMicros: number;
  cpuSystemMicros: number;
  /** Completed writes of `state.json` (0 in memory). */
  stateWrites: number;
  /** Authorization requests held (pending and finished). */
  authRequests: number;
  /** Webhook deliveries held in the log. */
  webhookLog: number;
}

/**
 * The CPU time of this process (user and system, microseconds). For the emulator's own share, run it in a process
 * of its own (the `truvalidate-emulator` command) and read `GET /_emulator/stats` before and after the work.
 */
export function emulatorCpuUsage(): { user: number; system: number } {
  return process.cpuUsage();
}

/** The figures of one emulator. */
export function emulatorStats(rt: EmulatorRuntime): EmulatorStats {
  const cpu = emulatorCpuUsage();
  return {
    cpuUserMicros: cpu.user,
    cpuSystemMicros: cpu.system,
    stateWrites: rt.state.writes,
    authRequests: rt.state.data.authRequests.length,
    webhookLog: rt.webhookLog.length,
  };
}
