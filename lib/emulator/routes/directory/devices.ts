/** `POST /directory/v3/devices`, `POST .../devices/list`, `DELETE .../devices` (docs/protocol.md §10.2, §B9). */
import { parseUuid } from '../../../sdk/wire';
import { ApiError } from '../../api-error';
import { DEFAULT_LINK_TTL, startDeviceLink } from '../../domain/users';
import type { Router } from '../../router';
import {
  directoryIdentifier,
  findDirectoryUser,
  optionalPositiveInt,
  requiredString,
  subjectDirectory,
} from '../params';

/** Registers the directory device routes. */
export function registerRoutes(router: Router): void {
  router.add({
    method: 'POST',
    path: '/directory/v3/devices',
    subjectTypes: ['dir'],
    handler: (ctx) => {
      const directory = subjectDirectory(ctx);
      const identifier = directoryIdentifier(ctx);
      const ttl = optionalPositiveInt(ctx.body, 'ttl', DEFAULT_LINK_TTL);
      const link = startDeviceLink(ctx.runtime, directory, identifier, ttl, ctx.issuerString, ctx.signingKey.id);
      ctx.runtime.log(`link code ${link.code} for ${identifier} (ttl ${ttl} s)`);
      return { status: 201, body: link };
    },
  });

  router.add({
    method: 'POST',
    path: '/directory/v3/devices/list',
    subjectTypes: ['dir'],
    handler: (ctx) => {
      const user = findDirectoryUser(ctx);
      const devices = (user?.devices ?? []).map((d) => ({
        id: d.id,
        name: d.name,
        type: d.type,
        status: d.status,
        created: d.created,
        updated: d.updated,
      }));
      return { status: 200, body: devices };
    },
  });

  router.add({
    method: 'DELETE',
    path: '/directory/v3/devices',
    subjectTypes: ['dir'],
    handler: (ctx) => {
      const user = findDirectoryUser(ctx);
      const deviceId = parseUuid(requiredString(ctx.body, 'device_id'));
      if (!user) throw ApiError.notFound('No such user');
      const index = user.devices.findIndex((d) => d.id === deviceId);
      if (index < 0) throw ApiError.notFound('No such device');
      user.devices.splice(index, 1);
      return { status: 204 };
    },
  });
}
