/**
 * The organization and directory management routes (docs/protocol.md §A2.6 rows 4-25): directories, directory keys, SDK
 * keys, and services with their keys and policies under both `/organization/v3` and `/directory/v3`.
 */
import type { Router } from '../../router';
import { registerRoutes as directories } from './directories';
import { registerRoutes as directoryKeys } from './directory-keys';
import { registerRoutes as serviceKeys } from './service-keys';
import { registerRoutes as servicePolicy } from './service-policy';
import { registerRoutes as services } from './services';

/** Adds every management route to the router. */
export function registerManagementRoutes(router: Router): void {
  directories(router);
  directoryKeys(router);
  services(router);
  serviceKeys(router);
  servicePolicy(router);
}
