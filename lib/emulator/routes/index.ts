/**
 * Registration of every signed API route. Each route file exports `registerRoutes(router)`; add one call here per
 * file (see the TSDoc of `Router` in `../router.ts` for the handler contract).
 */
import type { Router } from '../router';
import { registerRoutes as registerDirectoryDevices } from './directory/devices';
import { registerRoutes as registerDirectorySessions } from './directory/sessions';
import { registerRoutes as registerDirectoryTotp } from './directory/totp';
import { registerManagementRoutes } from './management';
import { registerRoutes as registerServiceAuths } from './service/auths';
import { registerRoutes as registerServiceSessions } from './service/sessions';
import { registerRoutes as registerServiceTotp } from './service/totp';

/** Adds every route of the signed API to `router`. */
export function registerApiRoutes(router: Router): void {
  registerServiceAuths(router);
  registerServiceSessions(router);
  registerServiceTotp(router);
  registerDirectoryDevices(router);
  registerDirectorySessions(router);
  registerDirectoryTotp(router);
  // Organization and directory management (lib/emulator/routes/management/index.ts registers each of its files).
  registerManagementRoutes(router);
}
