/** Small readers of request body fields for route handlers (errors as API errors). */
import { ApiError } from '../api-error';
import type { RouteContext } from '../router';
import type { ServiceRecord, DirectoryRecord, UserRecord } from '../state/types';

/** A required non-empty string field, else ARG-001 naming it. */
export function requiredString(ctx: RouteContext, name: string): string {
  const v = ctx.body[name];
  if (typeof v !== 'string' || v === '') throw ApiError.invalidParameters({ [name]: 'required non-empty string' });
  return v;
}

/** An optional positive integer field (null/absent -> `fallback`), else ARG-001. */
export function optionalPositiveInt(ctx: RouteContext, name: string, fallback: number): number {
  const v = ctx.body[name];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw ApiError.invalidParameters({ [name]: 'must be a positive integer' });
  return v;
}

/** The directory user identifier of the body (`identifier`), else DIR-001. */
export function directoryIdentifier(ctx: RouteContext): string {
  const v = ctx.body['identifier'];
  if (typeof v !== 'string' || v.trim() === '' || v.length > 1024) throw new ApiError(400, 'DIR-001', 'The directory user identifier is invalid');
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
