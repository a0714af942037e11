/**
 * The one place where a username becomes the form used everywhere: the push, TOTP, the limits, the store keys,
 * decoys and the API call all get the output of the configured `normalizeUsername`.
 */
import { TruValidateStrategyError } from './errors';

/**
 * The default `normalizeUsername`: removes surrounding whitespace only. It does not fold case nor Unicode forms:
 * the TruValidate user identifiers of an existing directory may be case-sensitive (`Alice` and `alice` may be two
 * users there), so folding them by default could send a push to the wrong user or lock one out.
 */
export function trimUsername(raw: string): string {
  return raw.trim();
}

/**
 * A `normalizeUsername` for apps whose usernames are case-insensitive: trim, Unicode NFC, then lower case, so
 * that `Alice`, ` alice ` and `ALICE` are one user (e.g. `normalizeUsername: caselessUsername`). Use the same
 * function (`strategy.normalizeUsername`) wherever the app creates users, so the directory holds this form.
 */
export function caselessUsername(raw: string): string {
  return raw.trim().normalize('NFC').toLowerCase();
}

/**
 * Applies the configured normaliser to a raw username; undefined when the result is empty.
 * @throws TruValidateStrategyError `ERR_TRUVALIDATE_INVALID_OPTION` when the normaliser does not return a string
 */
export function applyNormalizer(normalize: (raw: string) => string, raw: string): string | undefined {
  const value: unknown = normalize(raw);
  if (typeof value !== 'string') {
    throw new TruValidateStrategyError(
      'ERR_TRUVALIDATE_INVALID_OPTION',
      `TruValidateStrategy: normalizeUsername must return a string, got ${typeof value}`,
    );
  }
  return value === '' ? undefined : value;
}
