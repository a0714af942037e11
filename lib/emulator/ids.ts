/** Generated identifiers and codes of the emulator (docs/protocol.md §1.2 and §12). */
import { createHash, randomBytes, randomInt } from 'node:crypto';

const GREGORIAN_OFFSET_100NS = 0x01b21dd213814000n;
const nodeId = randomBytes(6);
nodeId[0] = (nodeId[0] as number) | 0x01; // multicast bit: a random node id, not a MAC address
let lastTime = 0n;
let clockSeq = randomInt(0, 0x4000);

/** A version-1 (time-based) UUID, lower case, as the real API issued for entity, request and device ids. */
export function uuidV1(): string {
  let time = BigInt(Date.now()) * 10000n + GREGORIAN_OFFSET_100NS;
  if (time <= lastTime) time = lastTime + 1n;
  lastTime = time;
  if (time === 0n) clockSeq = (clockSeq + 1) & 0x3fff;
  const timeLow = (time & 0xffffffffn).toString(16).padStart(8, '0');
  const timeMid = ((time >> 32n) & 0xffffn).toString(16).padStart(4, '0');
  const timeHi = (((time >> 48n) & 0x0fffn) | 0x1000n).toString(16).padStart(4, '0');
  const seq = ((clockSeq & 0x3fff) | 0x8000).toString(16).padStart(4, '0');
  return `${timeLow}-${timeMid}-${timeHi}-${seq}-${nodeId.toString('hex')}`;
}

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
  return createHash('sha256').update(scope + user).digest('base64url');
}
