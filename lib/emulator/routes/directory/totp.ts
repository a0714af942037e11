/** `POST` and `DELETE /directory/v3/totp` (docs/protocol.md §10.2, §B10). */
import { newTotp } from '../../domain/totp';
import { ensureUser } from '../../domain/users';
import type { Router } from '../../router';
import { directoryIdentifier, findDirectoryUser, subjectDirectory } from '../params';

/** Registers the directory TOTP routes. */
export function registerRoutes(router: Router): void {
  router.add({
    method: 'POST',
    path: '/directory/v3/totp',
    subjectTypes: ['dir'],
    handler: (ctx) => {
      const user = ensureUser(ctx.runtime, subjectDirectory(ctx), directoryIdentifier(ctx));
      user.totp = newTotp();
      const { secret, algorithm, period, digits } = user.totp;
      return { status: 200, body: { secret, algorithm, period, digits } };
    },
  });

  router.add({
    method: 'DELETE',
    path: '/directory/v3/totp',
    subjectTypes: ['dir'],
    handler: (ctx) => {
      const user = findDirectoryUser(ctx);
      if (user) user.totp = null;
      return { status: 204 };
    },
  });
}
