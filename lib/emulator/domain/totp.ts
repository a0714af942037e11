/** TOTP (RFC 6238 over RFC 4226) with node:crypto, and base32 secrets. */
import { createHmac, randomBytes } from 'node:crypto';
import type { TotpRecord } from '../state/types';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding. */
export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes RFC 4648 base32 (case-insensitive, padding and spaces ignored). Throws on other characters. */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of clean) {
    const i = BASE32.indexOf(c);
    if (i < 0) throw new Error(`invalid base32 character ${c}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** A fresh TOTP configuration: 20 random bytes (32 base32 characters), SHA1, 6 digits, 30 s. */
export function newTotp(): TotpRecord {
  return { secret: base32Encode(randomBytes(20)), algorithm: 'SHA1', digits: 6, period: 30 };
}

/** The code at a given time (seconds since the epoch). */
export function totpCode(totp: TotpRecord, atSeconds: number): string {
  const counter = Math.floor(atSeconds / totp.period);
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(totp.algorithm.toLowerCase(), base32Decode(totp.secret)).update(msg).digest();
  const offset = (mac[mac.length - 1] as number) & 0x0f;
  const bin = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(bin % 10 ** totp.digits).padStart(totp.digits, '0');
}

/** True when `otp` is the code of the current period or of one period either side. */
export function verifyTotp(totp: TotpRecord, otp: string, nowSeconds: number): boolean {
  if (!/^\d+$/.test(otp) || otp.length !== totp.digits) return false;
  return [-1, 0, 1].some((step) => totpCode(totp, nowSeconds + step * totp.period) === otp);
}
