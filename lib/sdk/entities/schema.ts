/**
 * Small readers for validating API JSON against the response schemas of docs/protocol.md §A3.7 (Python
 * `entities.validation`). Every failure throws {@link UnexpectedAPIResponse} with the offending value in `data`.
 * Internal: used by the entity and policy parse functions.
 */
import { UnexpectedAPIResponse } from '../errors';
import { parseIsoDate } from '../utils';

/** A JSON object (after `JSON.parse`). */
export type JsonObject = Record<string, unknown>;

/** Builds the error every schema failure throws: `UnexpectedAPIResponse(message, null, null, { value })`. */
export function schemaFailure(message: string, value: unknown): UnexpectedAPIResponse {
  return new UnexpectedAPIResponse(message, null, null, { value });
}

/** True for a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Requires `value` to be a JSON object; `what` names it in the error message. */
export function requireObject(value: unknown, what: string): JsonObject {
  if (!isJsonObject(value)) throw schemaFailure(`${what}: expected a JSON object`, value);
  return value;
}

function has(obj: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Required string key (null is not allowed). `minLength` defaults to 0. */
export function reqString(obj: JsonObject, key: string, what: string, minLength = 0): string {
  const v = obj[key];
  if (typeof v !== 'string') throw schemaFailure(`${what}: "${key}" must be a string`, obj);
  if (v.length < minLength) throw schemaFailure(`${what}: "${key}" must have at least ${minLength} characters`, obj);
  return v;
}

/** Required key whose value is a string or null (Python would turn null into `""`; the TS SDK keeps null). */
export function reqNullableString(obj: JsonObject, key: string, what: string): string | null {
  if (!has(obj, key)) throw schemaFailure(`${what}: "${key}" is missing`, obj);
  const v = obj[key];
  if (v === null) return null;
  if (typeof v !== 'string') throw schemaFailure(`${what}: "${key}" must be a string or null`, obj);
  return v;
}

/** Optional string key: absent or null gives null. */
export function optString(obj: JsonObject, key: string, what: string): string | null {
  if (obj[key] === undefined || obj[key] === null) return null;
  return reqString(obj, key, what);
}

/** Boolean key: absent or null reads as `false` (Python `Bool` default). */
export function bool(obj: JsonObject, key: string, what: string): boolean {
  const v = obj[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw schemaFailure(`${what}: "${key}" must be a boolean`, obj);
  return v;
}

/** Boolean key where JSON null stays null; absent reads as `absent` (default `false`). */
export function nullableBool(
  obj: JsonObject,
  key: string,
  what: string,
  absent: boolean | null = false,
): boolean | null {
  const v = obj[key];
  if (v === undefined) return absent;
  if (v === null) return null;
  if (typeof v !== 'boolean') throw schemaFailure(`${what}: "${key}" must be a boolean or null`, obj);
  return v;
}

/** Required integer key. */
export function reqInt(obj: JsonObject, key: string, what: string): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isInteger(v)) throw schemaFailure(`${what}: "${key}" must be an integer`, obj);
  return v;
}

/** Required finite number key. */
export function reqNumber(obj: JsonObject, key: string, what: string): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw schemaFailure(`${what}: "${key}" must be a number`, obj);
  return v;
}

/** Optional finite number key: absent or null gives null. */
export function optNumber(obj: JsonObject, key: string, what: string): number | null {
  if (obj[key] === undefined || obj[key] === null) return null;
  return reqNumber(obj, key, what);
}

/** Required ISO 8601 date-time key. */
export function reqIsoDate(obj: JsonObject, key: string, what: string): Date {
  const d = parseIsoDate(obj[key]);
  if (d === null) throw schemaFailure(`${what}: "${key}" must be an ISO 8601 date-time`, obj);
  return d;
}

/** Required key holding an ISO 8601 date-time or null. */
export function reqNullableIsoDate(obj: JsonObject, key: string, what: string): Date | null {
  if (!has(obj, key)) throw schemaFailure(`${what}: "${key}" is missing`, obj);
  if (obj[key] === null) return null;
  return reqIsoDate(obj, key, what);
}

/** Optional ISO 8601 date-time key: absent or null gives null. */
export function optIsoDate(obj: JsonObject, key: string, what: string): Date | null {
  if (obj[key] === undefined || obj[key] === null) return null;
  return reqIsoDate(obj, key, what);
}

/** List key: absent or null reads as `[]` (Python `ForEach` default); otherwise must be an array. */
export function list(obj: JsonObject, key: string, what: string): unknown[] {
  const v = obj[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw schemaFailure(`${what}: "${key}" must be a list`, obj);
  return v;
}

/** List of strings: absent or null reads as `[]`. */
export function stringList(obj: JsonObject, key: string, what: string): string[] {
  const items = list(obj, key, what);
  for (const item of items) {
    if (typeof item !== 'string') throw schemaFailure(`${what}: "${key}" must be a list of strings`, obj);
  }
  return items as string[];
}
