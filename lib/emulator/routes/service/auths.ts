/** `POST /service/v3/auths`, `GET` and `DELETE /service/v3/auths/{id}` (docs/protocol.md §10.1, §12). */
import { parseUuid } from '../../../sdk/wire';
import { ApiError } from '../../api-error';
import { authRequestStatus, createAuthRequest, findAuthRequest } from '../../domain/auth-requests';
import type { RouteContext, Router } from '../../router';
import type { AuthRequestRecord } from '../../state/types';
import { subjectService } from '../params';

/** The calling service's authorization request named by the `:id` segment (ARG-001 unless a UUID), if any. */
function requestedAuth(ctx: RouteContext): AuthRequestRecord | undefined {
  const id = parseUuid(ctx.params['id']);
  if (id === null) throw ApiError.invalidParameters({ auth_request: 'must be a UUID' });
  return findAuthRequest(ctx.runtime, id, subjectService(ctx).id);
}

/** Registers the authorization request routes. */
export function registerRoutes(router: Router): void {
  router.add({
    method: 'POST',
    path: '/service/v3/auths',
    subjectTypes: ['svc'],
    handler: (ctx) => {
      const rec = createAuthRequest(ctx.runtime, {
        service: subjectService(ctx),
        issuer: ctx.issuerString,
        signingKeyId: ctx.signingKey.id,
        body: ctx.body,
      });
      ctx.runtime.log(`auth request ${rec.id} for ${rec.username} (ttl ${rec.ttl} s)`);
      return {
        status: 201,
        body: { auth_request: rec.id, push_package: `emulator-push:${rec.id}`, device_ids: rec.deviceIds },
      };
    },
  });

  router.add({
    method: 'GET',
    path: '/service/v3/auths/:id',
    subjectTypes: ['svc'],
    handler: (ctx) => {
      const rec = requestedAuth(ctx);
      if (!rec) return { status: 204 };
      const status = authRequestStatus(rec, ctx.runtime.clock.nowSeconds());
      if (status === 'pending') return { status: 204 };
      if (status === 'canceled') throw new ApiError(400, 'SVC-007', 'The authorization request was canceled');
      if (status === 'expired') throw ApiError.httpStatus(408, 'The authorization request expired');
      return { status: 200, body: rec.answer!.package };
    },
  });

  router.add({
    method: 'DELETE',
    path: '/service/v3/auths/:id',
    subjectTypes: ['svc'],
    handler: (ctx) => {
      const rec = requestedAuth(ctx);
      if (!rec) throw ApiError.notFound('No such authorization request');
      if (rec.canceled) throw new ApiError(400, 'SVC-007', 'The authorization request was already canceled');
      if (rec.answer) throw new ApiError(400, 'SVC-006', 'The authorization request was already answered');
      rec.canceled = true;
      return { status: 204 };
    },
  });
}
