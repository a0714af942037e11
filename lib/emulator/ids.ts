/** Generated identifiers and codes of the emulator (docs/protocol.md §1.2 and §12). */
import { createHash, randomInt } from 'node:crypto';

export { uuidV1 } from '../sdk/wire';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A device link code: 7 random alphanumerics. */
export function linkCode(): string {
  let out = '';
  for (let i = 0; i < 7; i++) out += ALPHANUMERIC[randomInt(0, ALPHANUMERIC.length)];
  return out;
}

/** Three random 4-digit service PINs. */
export function servicePins(): string[] {
  return [0, 1, 2].map(() => String(randomInt(0, 10000)).padStart(4, '0'));
}

/** base64url (no padding) of SHA-256 over `scope` followed by `user`: 43 characters, stable per scope and user. */
export function userHash(scope: string, user: string): string {
  return createHash('sha256')
    .update(scope + user)
    .digest('base64url');
}
