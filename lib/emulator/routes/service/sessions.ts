/** `POST` and `DELETE /service/v3/sessions` (docs/protocol.md §10.1, §B11). */
import { isoFormat, parseUuid } from '../../../sdk/wire';
import { ApiError } from '../../api-error';
import type { Router } from '../../router';
import { requiredString, subjectService } from '../params';

/** Registers the service session routes. */
export function registerRoutes(router: Router): void {
  router.add({
    method: 'POST',
    path: '/service/v3/sessions',
    subjectTypes: ['svc'],
    handler: (ctx) => {
      const service = subjectService(ctx);
      const username = requiredString(ctx.body, 'username');
      const raw = ctx.body['auth_request'];
      const authRequest = raw === undefined || raw === null ? null : parseUuid(raw);
      if (raw !== undefined && raw !== null && authRequest === null)
        throw ApiError.invalidParameters({ auth_request: 'must be a UUID' });
      const user = ctx.state.findUserForService(service, username);
      if (!user) throw ApiError.notFound('No such user');
      user.sessions = user.sessions.filter((s) => s.serviceId !== service.id);
      user.sessions.push({
        serviceId: service.id,
        authRequest,
        created: isoFormat(ctx.runtime.clock.now()),
        issuer: ctx.issuerString,
      });
      return { status: 204 };
    },
  });

  router.add({
    method: 'DELETE',
    path: '/service/v3/sessions',
    subjectTypes: ['svc'],
    handler: (ctx) => {
      const service = subjectService(ctx);
      const user = ctx.state.findUserForService(service, requiredString(ctx.body, 'username'));
      if (!user) throw ApiError.notFound('No such user');
      user.sessions = user.sessions.filter((s) => s.serviceId !== service.id);
      return { status: 204 };
    },
  });
}
