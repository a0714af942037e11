/**
 * The example's username normaliser: surrounding whitespace trimmed, Unicode NFC, lower case, so `Alice` and
 * `alice` are one account. Every route that takes a username (sign-up, login, devices, TOTP) goes through
 * `deps.normalizeUsername`, which is this function.
 */
export function normalizeName(raw: string): string {
  return raw.trim().normalize('NFC').toLowerCase();
}
