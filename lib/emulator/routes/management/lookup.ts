/** Ownership lookups of the management routes: unknown or foreign ids are 403 (SVC-004 on policy routes). */
import { ApiError } from '../../api-error';
import type { RouteContext } from '../../router';
import type { DirectoryRecord, ServiceRecord } from '../../state/types';

/** The directory `id` of the subject organization; 403 when unknown or foreign. */
export function ownDirectory(ctx: RouteContext, id: string): DirectoryRecord {
  const d = ctx.state.findDirectory(id);
  if (!d || d.organizationId.toLowerCase() !== ctx.subject.id.toLowerCase()) {
    throw ApiError.forbidden(`Directory ${id} does not exist or does not belong to this organization`);
  }
  return d;
}

/** The service `id` owned by the subject (organization or directory), or undefined. */
export function findOwnService(ctx: RouteContext, id: string): ServiceRecord | undefined {
  const s = ctx.state.findService(id);
  if (!s || s.owner.type !== ctx.subject.type || s.owner.id.toLowerCase() !== ctx.subject.id.toLowerCase())
    return undefined;
  return s;
}

/** The service `id` owned by the subject; 403 when unknown or foreign. */
export function ownService(ctx: RouteContext, id: string): ServiceRecord {
  const s = findOwnService(ctx, id);
  if (!s)
    throw ApiError.forbidden(
      `Service ${id} does not exist or does not belong to ${ctx.subject.type}:${ctx.subject.id}`,
    );
  return s;
}

/** The services owned by the subject, in creation order. */
export function ownServices(ctx: RouteContext): ServiceRecord[] {
  return ctx.state.data.services.filter(
    (s) => s.owner.type === ctx.subject.type && s.owner.id.toLowerCase() === ctx.subject.id.toLowerCase(),
  );
}
