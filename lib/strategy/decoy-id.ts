/**
 * Ids of decoy logins: version-1 (time-based) UUIDs, the form the TruValidate API gives authorization requests,
 * so that a decoy's id (`strategy.pendingLogin(req).authRequestId`) cannot be told from a real one.
 */
import { randomBytes } from 'node:crypto';

/** 100-ns intervals between the Gregorian reform (1582-10-15) and the Unix epoch. */
const GREGORIAN_OFFSET_100NS = 0x01b21dd213814000n;
let lastTime = 0n;

/**
 * A new version-1 UUID (lower case): the current time, a random clock sequence and a random node id (multicast
 * bit set, as RFC 4122 4.5 asks of a node id that is not a MAC address). Times never repeat within the process.
 */
export function decoyRequestId(): string {
  let time = BigInt(Date.now()) * 10000n + GREGORIAN_OFFSET_100NS;
  if (time <= lastTime) time = lastTime + 1n;
  lastTime = time;
  const random = randomBytes(8);
  const clockSeq = ((random.readUInt16BE(0) & 0x3fff) | 0x8000).toString(16).padStart(4, '0');
  const node = random.subarray(2, 8);
  node[0] = (node[0] as number) | 0x01;
  const timeLow = (time & 0xffffffffn).toString(16).padStart(8, '0');
  const timeMid = ((time >> 32n) & 0xffffn).toString(16).padStart(4, '0');
  const timeHi = (((time >> 48n) & 0x0fffn) | 0x1000n).toString(16).padStart(4, '0');
  return `${timeLow}-${timeMid}-${timeHi}-${clockSeq}-${node.toString('hex')}`;
}
