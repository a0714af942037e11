/** Small shared helpers of the SDK (internal; docs/protocol.md §A6 names them). */

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_COMPACT_RE = /^[0-9a-f]{32}$/i;

/**
 * Parses a UUID (any version; with or without hyphens, any case) and returns its canonical lower-case
 * hyphenated form, or null when it is not a UUID. When `version` is given, the UUID must be of that version.
 */
export function parseUuid(value: unknown, version?: number): string | null {
  if (typeof value !== 'string') return null;
  let v = value.trim();
  if (v.startsWith('{') && v.endsWith('}')) v = v.slice(1, -1);
  if (v.toLowerCase().startsWith('urn:uuid:')) v = v.slice(9);
  if (UUID_COMPACT_RE.test(v))
    v = `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20)}`;
  if (!UUID_RE.test(v)) return null;
  v = v.toLowerCase();
  if (version !== undefined && Number.parseInt(v[14] as string, 16) !== version) return null;
  return v;
}

/** Formats a date as the API's ISO form: UTC, whole seconds, literal `Z` (`YYYY-MM-DDTHH:MM:SSZ`). */
export function isoFormat(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Parses an ISO 8601 date-time (fractional seconds and offsets accepted). Returns null when unparsable. */
export function parseIsoDate(value: unknown): Date | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(value))
    return null;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value);
  const d = new Date(hasZone ? value : `${value}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** True when `value` is one of the strings of `allowed` (narrows it to that list's type). */
export function isOneOf<T extends string>(allowed: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

const warned = new Set<string>();

/** Emits a DeprecationWarning once per message per process. */
export function emitDeprecation(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.emitWarning(message, 'DeprecationWarning');
}

/** Emits a warning once per message per process (for "SDK update may add support" style notices). */
export function emitWarningOnce(message: string): void {
  if (warned.has(`w:${message}`)) return;
  warned.add(`w:${message}`);
  process.emitWarning(message, 'TruValidateWarning');
}
