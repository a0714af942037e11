/**
 * Service-policy endpoints of organizations and directories (sdk-api.md 2.6 rows 23-25, api-behaviour.md 8):
 * unknown or foreign service SVC-004; the policy is stored normalised in `ServiceRecord.policy` (which the
 * authorization response echoes), `null` meaning the default blank LEGACY policy.
 */
import { ApiError } from '../../api-error';
import type { RouteContext, Router } from '../../router';
import type { ServiceRecord } from '../../state/types';
import { findOwnService } from './lookup';
import { bodyOf, requiredUuid, type Body } from './params';
import { defaultServicePolicy, normaliseServicePolicy } from './policy';
import { SERVICE_BASES } from './services';

function policyService(ctx: RouteContext, body: Body): ServiceRecord {
  const id = requiredUuid(body, 'service_id');
  const service = findOwnService(ctx, id);
  if (!service) throw new ApiError(400, 'SVC-004', `Service ${id} was not found`);
  return service;
}

/** Registers `{base}/service/policy` (PUT, DELETE) and `{base}/service/policy/item` for both bases. */
export function registerRoutes(router: Router): void {
  for (const { base, subjectType } of SERVICE_BASES) {
    const path = `${base}/service/policy`;
    router.add({
      method: 'POST',
      path: `${path}/item`,
      subjectTypes: [subjectType],
      handler: (ctx) => {
        const service = policyService(ctx, bodyOf(ctx.body));
        return { status: 200, body: service.policy ?? defaultServicePolicy() };
      },
    });
    router.add({
      method: 'PUT',
      path,
      subjectTypes: [subjectType],
      handler: (ctx) => {
        const body = bodyOf(ctx.body);
        const service = policyService(ctx, body);
        if (body['policy'] === undefined || body['policy'] === null) throw ApiError.invalidParameters({ policy: 'This value is required' });
        service.policy = normaliseServicePolicy(body['policy']);
        return { status: 204 };
      },
    });
    router.add({
      method: 'DELETE',
      path,
      subjectTypes: [subjectType],
      handler: (ctx) => {
        policyService(ctx, bodyOf(ctx.body)).policy = null;
        return { status: 204 };
      },
    });
  }
}
