/** `POST /directory/v3/sessions/list` and `DELETE /directory/v3/sessions` (docs/protocol.md §10.2, §B10). */
import { endSessions } from '../../domain/sessions';
import type { Router } from '../../router';
import { directoryUser } from '../params';

/** Registers the directory session routes. */
export function registerRoutes(router: Router): void {
  router.add({
    method: 'POST',
    path: '/directory/v3/sessions/list',
    subjectTypes: ['dir'],
    handler: (ctx) => {
      const user = directoryUser(ctx);
      const sessions = user.sessions.map((s) => {
        const service = ctx.state.findService(s.serviceId);
        return {
          auth_request: s.authRequest,
          date_created: s.created,
          service_id: s.serviceId,
          service_name: service?.name ?? null,
          service_icon: service?.icon ?? null,
        };
      });
      return { status: 200, body: sessions };
    },
  });

  router.add({
    method: 'DELETE',
    path: '/directory/v3/sessions',
    subjectTypes: ['dir'],
    handler: async (ctx) => {
      const user = directoryUser(ctx);
      await endSessions(ctx.runtime, user);
      return { status: 204 };
    },
  });
}
