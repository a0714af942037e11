/**
 * Service-policy endpoints of organizations and directories (docs/protocol.md §A2.6 rows 23-25, §B8):
 * unknown or foreign service SVC-004; the policy is stored normalised in `ServiceRecord.policy` (which the
 * authorization response echoes), `null` meaning the default blank LEGACY policy.
 */
import { ApiError } from '../../api-error';
import type { RouteContext, Router } from '../../router';
import type { ServiceRecord } from '../../state/types';
import { findOwnService } from './lookup';
import { requiredUuid, type Body } from '../params';
import { defaultServicePolicy, normaliseServicePolicy } from './policy';
import { forEachServiceOwner } from './route';

function policyService(ctx: RouteContext, body: Body): ServiceRecord {
  const id = requiredUuid(body, 'service_id');
  const service = findOwnService(ctx, id);
  if (!service) throw new ApiError(400, 'SVC-004', `Service ${id} was not found`);
  return service;
}

/** Registers `{base}/service/policy` (PUT, DELETE) and `{base}/service/policy/item` for both bases. */
export function registerRoutes(router: Router): void {
  forEachServiceOwner(router, (add, base) => {
    const path = `${base}/service/policy`;
    add('POST', `${path}/item`, (ctx, body) => ({
      status: 200,
      body: policyService(ctx, body).policy ?? defaultServicePolicy(),
    }));
    add('PUT', path, (ctx, body) => {
      const service = policyService(ctx, body);
      if (body['policy'] === undefined || body['policy'] === null)
        throw ApiError.invalidParameters({ policy: 'This value is required' });
      service.policy = normaliseServicePolicy(body['policy']);
      return { status: 204 };
    });
    add('DELETE', path, (ctx, body) => {
      policyService(ctx, body).policy = null;
      return { status: 204 };
    });
  });
}
