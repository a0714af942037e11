/** The bounds of what an emulator keeps (the `retention` option). */

/** Bounds of the `retention` option of `startEmulator`. */
export interface RetentionLimits {
  /** Most finished authorization requests kept (the oldest go first). Default 200. */
  finishedAuthRequests: number;
  /** Seconds a finished authorization request is kept after it finished. Default 3600. */
  finishedAuthRequestSeconds: number;
  /** Most webhook deliveries kept in the log (the oldest go first). Default 1000. */
  webhookLog: number;
}

/** The default bounds. */
export const DEFAULT_RETENTION: Readonly<RetentionLimits> = Object.freeze({
  finishedAuthRequests: 200,
  finishedAuthRequestSeconds: 3600,
  webhookLog: 1000,
});
