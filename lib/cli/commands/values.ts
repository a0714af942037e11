/** Checks of command argument values; each failure is a {@link CliUsageError}. */
import { CliUsageError } from '../errors';

/**
 * Reads an integer option: absent gives undefined; otherwise a whole decimal number of at least `min`.
 * @throws CliUsageError
 */
export function intOption(value: string | boolean | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value !== 'string' ||
    !/^\d+$/.test(value) ||
    Number(value) < min ||
    !Number.isSafeInteger(Number(value))
  ) {
    throw new CliUsageError(`--${name} must be a whole number of at least ${min}, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** Reads a string option (absent: undefined). */
export function stringOption(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
