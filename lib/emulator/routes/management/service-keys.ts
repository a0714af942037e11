/** Service-key endpoints of organizations and directories (docs/protocol.md §A2.6 rows 19-22, §B6). */
import type { Router } from '../../router';
import { addKeyRoutes } from './key-routes';
import { ownService } from './lookup';
import { requiredUuid } from '../params';
import { forEachServiceOwner } from './route';

/** Registers `{base}/service/keys` (POST, PATCH, DELETE) and `{base}/service/keys/list` for both bases. */
export function registerRoutes(router: Router): void {
  forEachServiceOwner(router, (add, base) => {
    addKeyRoutes(add, `${base}/service/keys`, (ctx, body) => ownService(ctx, requiredUuid(body, 'service_id')).keys);
  });
}
