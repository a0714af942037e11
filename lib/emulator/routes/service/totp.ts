/** `POST /service/v3/totp`: verify a user's TOTP code (docs/protocol.md §10.1, §B10). */
import { ApiError } from '../../api-error';
import { verifyTotp } from '../../domain/totp';
import type { Router } from '../../router';
import { requiredString, subjectService } from '../params';

/** Registers the TOTP verification route. */
export function registerRoutes(router: Router): void {
  router.add({
    method: 'POST',
    path: '/service/v3/totp',
    subjectTypes: ['svc'],
    handler: (ctx) => {
      const service = subjectService(ctx);
      const identifier = requiredString(ctx.body, 'identifier');
      const otp = ctx.body['otp'];
      if (typeof otp !== 'string' || !/^\d{6,8}$/.test(otp))
        throw ApiError.invalidParameters({ otp: 'must be 6 to 8 digits' });
      const user = ctx.state.findUserForService(service, identifier);
      if (!user?.totp) throw ApiError.notFound('The user has no TOTP configured');
      return { status: 200, body: { valid: verifyTotp(user.totp, otp, ctx.runtime.clock.nowSeconds()) } };
    },
  });
}
