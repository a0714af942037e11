/**
 * Readers of request-body parameters for the management routes. Every failure is `ARG-001` (InvalidParameters)
 * with an object detail naming the parameter, as the API does. `null` counts as absent except where a reader
 * says it clears (PATCH bodies, docs/protocol.md §5.2).
 */
import { ApiError } from '../../api-error';
import { parseUuid, isoFormat, parseIsoDate } from '../../../sdk/utils';

/** A decrypted JSON request body. */
export type Body = Record<string, unknown>;

/** Marker for "the key is not in the body" (distinct from `null`, which clears in PATCH bodies). */
export const ABSENT: unique symbol = Symbol('absent');

function invalid(name: string, message: string): ApiError {
  return ApiError.invalidParameters({ [name]: message });
}

/** A required non-empty string. */
export function requiredString(body: Body, name: string): string {
  const value = body[name];
  if (value === undefined || value === null) throw invalid(name, 'This value is required');
  if (typeof value !== 'string' || value.trim() === '') throw invalid(name, 'This value must be a non-empty string');
  return value;
}

/** A required UUID, returned lower case. */
export function requiredUuid(body: Body, name: string): string {
  const value = body[name];
  if (value === undefined || value === null) throw invalid(name, 'This value is required');
  const id = typeof value === 'string' && value.length === 36 ? parseUuid(value) : null;
  if (id === null) throw invalid(name, 'This value must be a UUID');
  return id;
}

/** A required array of UUIDs, returned lower case. */
export function requiredUuidList(body: Body, name: string): string[] {
  const value = body[name];
  if (value === undefined || value === null) throw invalid(name, 'This value is required');
  if (!Array.isArray(value)) throw invalid(name, 'This value must be an array of UUIDs');
  return value.map((item) => {
    const id = typeof item === 'string' && item.length === 36 ? parseUuid(item) : null;
    if (id === null) throw invalid(name, 'Every item must be a UUID');
    return id;
  });
}

/** An optional string: `ABSENT` when missing, `null` when sent as null. */
export function optionalString(body: Body, name: string): string | null | typeof ABSENT {
  if (!(name in body) || body[name] === undefined) return ABSENT;
  const value = body[name];
  if (value === null) return null;
  if (typeof value !== 'string') throw invalid(name, 'This value must be a string or null');
  return value;
}

/** An optional absolute http(s) URL; `''` and `null` give `null` (clears). */
export function optionalUrl(body: Body, name: string): string | null | typeof ABSENT {
  const value = optionalString(body, name);
  if (value === ABSENT || value === null || value === '') return value === '' ? null : value;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(name, 'This value must be an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(name, 'This value must be an http or https URL');
  return value;
}

/** An optional boolean (also `"True"`/`"False"` in any case): `ABSENT` when missing or null. */
export function optionalBoolean(body: Body, name: string): boolean | typeof ABSENT {
  const value = body[name];
  if (value === undefined || value === null) return ABSENT;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw invalid(name, 'This value must be a boolean');
}

/** An optional ISO date, returned as the API's ISO form (UTC, whole seconds, `Z`); `null` when sent as null. */
export function optionalIsoDate(body: Body, name: string): string | null | typeof ABSENT {
  if (!(name in body) || body[name] === undefined) return ABSENT;
  const value = body[name];
  if (value === null) return null;
  const date = parseIsoDate(value);
  if (date === null) throw invalid(name, 'This value must be an ISO 8601 date-time');
  return isoFormat(date);
}

/** A reader of one optional parameter: `ABSENT` when the body does not set it. */
export type OptionalReader<V> = (body: Body, name: string) => V | typeof ABSENT;

/** For each record property: the body parameter that sets it and its reader. */
export type FieldReaders<T> = { readonly [K in keyof T]: readonly [param: string, read: OptionalReader<T[K]>] };

/**
 * The record properties a create or PATCH body sets, read in the order of `readers` (so the first invalid
 * parameter is the one the ARG-001 names); properties whose parameter is absent are left out.
 */
export function optionalFields<T>(body: Body, readers: FieldReaders<T>): Partial<T> {
  const fields: Partial<T> = {};
  for (const key of Object.keys(readers) as (keyof T)[]) {
    const [param, read] = readers[key];
    const value = read(body, param);
    if (value !== ABSENT) fields[key] = value as T[keyof T];
  }
  return fields;
}
