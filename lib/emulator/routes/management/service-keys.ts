/** Service-key endpoints of organizations and directories (sdk-api.md 2.6 rows 19-22, api-behaviour.md 6). */
import type { Router } from '../../router';
import { addKey, keyToWire, removeKey, updateKey } from './keys';
import { ownService } from './lookup';
import { bodyOf, requiredUuid } from './params';
import { SERVICE_BASES } from './services';

/** Registers `{base}/service/keys` (POST, PATCH, DELETE) and `{base}/service/keys/list` for both bases. */
export function registerRoutes(router: Router): void {
  for (const { base, subjectType } of SERVICE_BASES) {
    const path = `${base}/service/keys`;
    router.add({
      method: 'POST',
      path,
      subjectTypes: [subjectType],
      handler: (ctx) => {
        const body = bodyOf(ctx.body);
        const service = ownService(ctx, requiredUuid(body, 'service_id'));
        return { status: 201, body: { key_id: addKey(service.keys, body, ctx.runtime.clock.nowSeconds()) } };
      },
    });
    router.add({
      method: 'POST',
      path: `${path}/list`,
      subjectTypes: [subjectType],
      handler: (ctx) => ({ status: 200, body: ownService(ctx, requiredUuid(bodyOf(ctx.body), 'service_id')).keys.map(keyToWire) }),
    });
    router.add({
      method: 'PATCH',
      path,
      subjectTypes: [subjectType],
      handler: (ctx) => {
        const body = bodyOf(ctx.body);
        updateKey(ownService(ctx, requiredUuid(body, 'service_id')).keys, body);
        return { status: 204 };
      },
    });
    router.add({
      method: 'DELETE',
      path,
      subjectTypes: [subjectType],
      handler: (ctx) => {
        const body = bodyOf(ctx.body);
        removeKey(ownService(ctx, requiredUuid(body, 'service_id')).keys, body);
        return { status: 204 };
      },
    });
  }
}
