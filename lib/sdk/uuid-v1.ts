/**
 * Version-1 (time-based) UUIDs, the form the TruValidate API gives its entities and authorization requests. Node's
 * `crypto.randomUUID()` makes only version 4, and the `uuid` package would be a dependency for these few lines.
 * Used by the emulator (every id it issues) and by the strategy (decoy logins, whose ids must look like the API's).
 */
import { randomBytes, randomInt } from 'node:crypto';

/** 100-ns intervals between the Gregorian reform (1582-10-15) and the Unix epoch. */
const GREGORIAN_OFFSET_100NS = 0x01b21dd213814000n;
/** A random node id per process, with the multicast bit set, as RFC 4122 4.5 asks of one that is not a MAC. */
const NODE_ID = randomBytes(6);
NODE_ID[0] = (NODE_ID[0] as number) | 0x01;
const CLOCK_SEQ = ((randomInt(0, 0x4000) & 0x3fff) | 0x8000).toString(16).padStart(4, '0');
let lastTime = 0n;

/** A new version-1 UUID, lower case: the current time (never repeated within the process), the process's node id. */
export function uuidV1(): string {
  let time = BigInt(Date.now()) * 10000n + GREGORIAN_OFFSET_100NS;
  if (time <= lastTime) time = lastTime + 1n;
  lastTime = time;
  const timeLow = (time & 0xffffffffn).toString(16).padStart(8, '0');
  const timeMid = ((time >> 32n) & 0xffffn).toString(16).padStart(4, '0');
  const timeHi = (((time >> 48n) & 0x0fffn) | 0x1000n).toString(16).padStart(4, '0');
  return `${timeLow}-${timeMid}-${timeHi}-${CLOCK_SEQ}-${NODE_ID.toString('hex')}`;
}
