/** Route registration of the management endpoints: one subject type per route, handlers given the body object. */
import type { HttpMethod } from '../../../sdk/wire';
import type { RouteContext, RouteResult, Router } from '../../router';
import type { EntityType } from '../../state/types';
import type { Body } from '../params';

/** A management route handler: the verified request and its decrypted body (`ctx.body`, `{}` when none was sent). */
export type BodyHandler = (ctx: RouteContext, body: Body) => RouteResult;

/** Adds one route, callable only with the subject type the adder was made for (others get 403). */
export type AddRoute = (method: HttpMethod, path: string, handler: BodyHandler) => void;

/** An {@link AddRoute} that registers on `router` routes only `subjectType` may call. */
export function routesFor(router: Router, subjectType: EntityType): AddRoute {
  return (method, path, handler) => {
    router.add({ method, path, subjectTypes: [subjectType], handler: (ctx) => handler(ctx, ctx.body) });
  };
}

/** The two owners of services and their path bases. */
export const SERVICE_BASES = [
  { base: '/organization/v3', subjectType: 'org' },
  { base: '/directory/v3', subjectType: 'dir' },
] as const;

/** Calls `register` once per owner of services (organization, then directory) with its path base and adder. */
export function forEachServiceOwner(
  router: Router,
  register: (add: AddRoute, base: string, subjectType: 'org' | 'dir') => void,
): void {
  for (const { base, subjectType } of SERVICE_BASES) register(routesFor(router, subjectType), base, subjectType);
}
