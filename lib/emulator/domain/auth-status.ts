/** The lifecycle state of an authorization request (docs/protocol.md §12), evaluated lazily against the clock. */
import type { AuthRequestRecord } from '../state/types';

/** Lifecycle state of a request at a given time. */
export type AuthRequestStatus = 'pending' | 'answered' | 'canceled' | 'expired';

/** The state of a request now (expiry is evaluated lazily against the emulator clock). */
export function authRequestStatus(rec: AuthRequestRecord, nowSeconds: number): AuthRequestStatus {
  if (rec.canceled) return 'canceled';
  if (nowSeconds >= rec.expiresAt) return 'expired';
  return rec.answer ? 'answered' : 'pending';
}
