/**
 * The binding of a pending login to the browser session that started it: 32 random bytes kept in the session,
 * only their SHA-256 in the store, compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new unguessable binding value (32 random bytes, base64url). */
export function newBindingValue(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 (hex) of a binding value: what the store keeps. */
export function bindingHash(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** True when `value` (from the session) hashes to `expectedHash` (from the store); constant time. */
export function bindingMatches(value: unknown, expectedHash: unknown): boolean {
  if (typeof value !== 'string' || typeof expectedHash !== 'string' || value === '') return false;
  const actual = Buffer.from(bindingHash(value), 'hex');
  const expected = Buffer.from(expectedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
