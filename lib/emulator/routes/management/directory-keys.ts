/** Organization directory-key and SDK-key endpoints (sdk-api.md 2.6 rows 8-14, api-behaviour.md 5 and 6). */
import { randomUUID } from 'node:crypto';
import { ApiError } from '../../api-error';
import type { Router } from '../../router';
import { addKey, keyToWire, removeKey, updateKey } from './keys';
import { ownDirectory } from './lookup';
import { bodyOf, requiredString, requiredUuid } from './params';

const KEYS = '/organization/v3/directory/keys';
const SDK_KEYS = '/organization/v3/directory/sdk-keys';

/** Registers `/organization/v3/directory/keys` (+ `/list`) and `/organization/v3/directory/sdk-keys` (+ `/list`). */
export function registerRoutes(router: Router): void {
  router.add({
    method: 'POST',
    path: KEYS,
    subjectTypes: ['org'],
    handler: (ctx) => {
      const body = bodyOf(ctx.body);
      const directory = ownDirectory(ctx, requiredUuid(body, 'directory_id'));
      return { status: 201, body: { key_id: addKey(directory.keys, body, ctx.runtime.clock.nowSeconds()) } };
    },
  });
  router.add({
    method: 'POST',
    path: `${KEYS}/list`,
    subjectTypes: ['org'],
    handler: (ctx) => ({ status: 200, body: ownDirectory(ctx, requiredUuid(bodyOf(ctx.body), 'directory_id')).keys.map(keyToWire) }),
  });
  router.add({
    method: 'PATCH',
    path: KEYS,
    subjectTypes: ['org'],
    handler: (ctx) => {
      const body = bodyOf(ctx.body);
      updateKey(ownDirectory(ctx, requiredUuid(body, 'directory_id')).keys, body);
      return { status: 204 };
    },
  });
  router.add({
    method: 'DELETE',
    path: KEYS,
    subjectTypes: ['org'],
    handler: (ctx) => {
      const body = bodyOf(ctx.body);
      removeKey(ownDirectory(ctx, requiredUuid(body, 'directory_id')).keys, body);
      return { status: 204 };
    },
  });

  router.add({
    method: 'POST',
    path: SDK_KEYS,
    subjectTypes: ['org'],
    handler: (ctx) => {
      const directory = ownDirectory(ctx, requiredUuid(bodyOf(ctx.body), 'directory_id'));
      const sdkKey = randomUUID();
      directory.sdkKeys.push(sdkKey);
      return { status: 201, body: { sdk_key: sdkKey } };
    },
  });
  router.add({
    method: 'POST',
    path: `${SDK_KEYS}/list`,
    subjectTypes: ['org'],
    handler: (ctx) => ({ status: 200, body: [...ownDirectory(ctx, requiredUuid(bodyOf(ctx.body), 'directory_id')).sdkKeys] }),
  });
  router.add({
    method: 'DELETE',
    path: SDK_KEYS,
    subjectTypes: ['org'],
    handler: (ctx) => {
      const body = bodyOf(ctx.body);
      const directory = ownDirectory(ctx, requiredUuid(body, 'directory_id'));
      const sdkKey = requiredString(body, 'sdk_key');
      const index = directory.sdkKeys.findIndex((k) => k.toLowerCase() === sdkKey.toLowerCase());
      if (index < 0) throw new ApiError(400, 'ORG-006', `The SDK key ${sdkKey} does not belong to directory ${directory.id}`);
      if (directory.sdkKeys.length === 1) throw new ApiError(400, 'ORG-005', 'The last remaining SDK key of a directory cannot be removed');
      directory.sdkKeys.splice(index, 1);
      return { status: 204 };
    },
  });
}
