/** Organization directory-key and SDK-key endpoints (docs/protocol.md §A2.6 rows 8-14, §B5 and §B6). */
import { randomUUID } from 'node:crypto';
import { ApiError } from '../../api-error';
import type { RouteContext, Router } from '../../router';
import type { DirectoryRecord } from '../../state/types';
import { addKeyRoutes } from './key-routes';
import { ownDirectory } from './lookup';
import { requiredString, requiredUuid, type Body } from '../params';
import { routesFor } from './route';

const KEYS = '/organization/v3/directory/keys';
const SDK_KEYS = '/organization/v3/directory/sdk-keys';

/** The organization's directory named by the body's `directory_id`; 403 when unknown or foreign. */
function bodyDirectory(ctx: RouteContext, body: Body): DirectoryRecord {
  return ownDirectory(ctx, requiredUuid(body, 'directory_id'));
}

/** Registers `/organization/v3/directory/keys` (+ `/list`) and `/organization/v3/directory/sdk-keys` (+ `/list`). */
export function registerRoutes(router: Router): void {
  const add = routesFor(router, 'org');
  addKeyRoutes(add, KEYS, (ctx, body) => bodyDirectory(ctx, body).keys);

  add('POST', SDK_KEYS, (ctx, body) => {
    const directory = bodyDirectory(ctx, body);
    const sdkKey = randomUUID();
    directory.sdkKeys.push(sdkKey);
    return { status: 201, body: { sdk_key: sdkKey } };
  });
  add('POST', `${SDK_KEYS}/list`, (ctx, body) => ({ status: 200, body: [...bodyDirectory(ctx, body).sdkKeys] }));
  add('DELETE', SDK_KEYS, (ctx, body) => {
    const directory = bodyDirectory(ctx, body);
    const sdkKey = requiredString(body, 'sdk_key');
    const index = directory.sdkKeys.findIndex((k) => k.toLowerCase() === sdkKey.toLowerCase());
    if (index < 0)
      throw new ApiError(400, 'ORG-006', `The SDK key ${sdkKey} does not belong to directory ${directory.id}`);
    if (directory.sdkKeys.length === 1)
      throw new ApiError(400, 'ORG-005', 'The last remaining SDK key of a directory cannot be removed');
    directory.sdkKeys.splice(index, 1);
    return { status: 204 };
  });
}
