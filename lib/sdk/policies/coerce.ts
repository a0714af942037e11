/** Argument coercion shared by the policy classes (internal). */
import { InvalidParameters } from '../errors';

/**
 * Coerces a number or a numeric string to a finite float, like Python's `float()`; anything else throws
 * {@link InvalidParameters} (Python raises a bare value error; docs/protocol.md §A8).
 */
export function toFloat(value: unknown, what: string): number {
  let n = Number.NaN;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && value.trim() !== '') n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidParameters(`${what} must be a number, got ${JSON.stringify(value) ?? String(value)}`);
  return n;
}

/** Requires a non-negative integer (policy amounts); anything else throws {@link InvalidParameters}. */
export function toAmount(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new InvalidParameters(`${what} must be a non-negative integer, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}

/** Requires a boolean, or null when `nullable`; anything else throws {@link InvalidParameters}. */
export function toFlag(value: unknown, what: string, nullable: true): boolean | null;
export function toFlag(value: unknown, what: string, nullable?: false): boolean;
export function toFlag(value: unknown, what: string, nullable = false): boolean | null {
  if (typeof value === 'boolean') return value;
  if (nullable && value === null) return null;
  throw new InvalidParameters(`${what} must be a boolean${nullable ? ' or null' : ''}, got ${JSON.stringify(value) ?? String(value)}`);
}
