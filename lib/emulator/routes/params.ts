/**
 * The one parameter-validation module of the signed routes: readers of request-body parameters and of the request's
 * subject. Every body failure is `ARG-001` (InvalidParameters) with an object detail naming the parameter, as the API
 * does. `null` counts as absent except where a reader says it clears (PATCH bodies, docs/protocol.md §5.2).
 */
import { isoFormat, parseIsoDate, parseUuid } from '../../sdk/wire';
import { ApiError } from '../api-error';
import type { RouteContext } from '../router';
import type { DirectoryRecord, ServiceRecord, UserRecord } from '../state/types';

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
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw invalid(name, 'This value must be an http or https URL');
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

/** An optional positive integer field (null/absent -> `fallback`), else ARG-001. */
export function optionalPositiveInt(body: Body, name: string, fallback: number): number {
  const v = body[name];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
    throw invalid(name, 'This value must be a positive integer');
  return v;
}

/** The directory user identifier of the body (`identifier`), else DIR-001. */
export function directoryIdentifier(ctx: RouteContext): string {
  const v = ctx.body['identifier'];
  if (typeof v !== 'string' || v.trim() === '' || v.length > 1024)
    throw new ApiError(400, 'DIR-001', 'The directory user identifier is invalid');
  return v;
}

/** The service the request's `sub` names (routes with `subjectTypes: ['svc']`). */
export function subjectService(ctx: RouteContext): ServiceRecord {
  const s = ctx.state.findService(ctx.subject.id);
  if (!s) throw ApiError.forbidden('Unknown service');
  return s;
}

/** The directory the request's `sub` names (routes with `subjectTypes: ['dir']`). */
export function subjectDirectory(ctx: RouteContext): DirectoryRecord {
  const d = ctx.state.findDirectory(ctx.subject.id);
  if (!d) throw ApiError.forbidden('Unknown directory');
  return d;
}

/** The user of the request's directory named by the body's `identifier` (DIR-001 when invalid), if there is one. */
export function findDirectoryUser(ctx: RouteContext): UserRecord | undefined {
  return ctx.state.findUser(subjectDirectory(ctx).id, directoryIdentifier(ctx));
}

/** Like {@link findDirectoryUser}, but 404 when the directory has no such user. */
export function directoryUser(ctx: RouteContext): UserRecord {
  const user = findDirectoryUser(ctx);
  if (!user) throw ApiError.notFound('No such user');
  return user;
}
