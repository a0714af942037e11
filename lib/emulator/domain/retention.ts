/**
 * What the emulator keeps, bounded: finished authorization requests (answered, canceled, expired) for a while and up
 * to a count, pending device links until their code expires, and the last webhook deliveries.
 */
import type { EmulatorRuntime } from '../runtime';
import type { AuthRequestRecord } from '../state/types';
import { authRequestStatus } from './auth-status';

/** When a finished request finished (epoch seconds): its answer, its creation if canceled, else its expiry. */
function finishedAt(rec: AuthRequestRecord): number {
  if (rec.answer && !rec.canceled) return Math.min(Date.parse(rec.answer.answeredAt) / 1000, rec.expiresAt);
  if (rec.canceled) return Date.parse(rec.created) / 1000;
  return rec.expiresAt;
}

/**
 * Drops finished authorization requests older than the retention time, then the oldest beyond the count (a
 * dropped id then answers `GET auths/{id}` like any unknown id: 204). Pending requests are never dropped.
 */
export function pruneAuthRequests(rt: EmulatorRuntime): void {
  const now = rt.clock.nowSeconds();
  const { finishedAuthRequests: max, finishedAuthRequestSeconds: keep } = rt.retention;
  const finished = rt.state.data.authRequests
    .filter((r) => authRequestStatus(r, now) !== 'pending')
    .map((r) => ({ r, at: finishedAt(r) }));
  const dropped = new Set(finished.filter((f) => f.at + keep < now).map((f) => f.r));
  const left = finished.filter((f) => !dropped.has(f.r)).sort((a, b) => a.at - b.at);
  for (const f of left.slice(0, Math.max(0, left.length - max))) dropped.add(f.r);
  if (dropped.size > 0) rt.state.data.authRequests = rt.state.data.authRequests.filter((r) => !dropped.has(r));
}

/** Drops devices whose link code expired before they were linked. */
export function pruneExpiredLinks(rt: EmulatorRuntime): void {
  const now = rt.clock.nowSeconds();
  for (const user of rt.state.data.users) {
    const expired = (d: (typeof user.devices)[number]): boolean =>
      d.status === 0 && d.linkExpiresAt !== null && d.linkExpiresAt <= now;
    if (user.devices.some(expired)) user.devices = user.devices.filter((d) => !expired(d));
  }
}
