/**
 * Service endpoints of organizations and directories (sdk-api.md 2.6 rows 15-18, api-behaviour.md 7):
 * `{base}/services` with names unique per owner (SVC-001), list by ids (403 as a whole for an unknown or foreign
 * id), partial update (`null` clears).
 */
import { ApiError } from '../../api-error';
import { uuidV1 } from '../../ids';
import type { RouteContext, Router } from '../../router';
import type { ServiceRecord } from '../../state/types';
import { ownService, ownServices } from './lookup';
import { ABSENT, bodyOf, optionalBoolean, optionalString, optionalUrl, requiredString, requiredUuid, requiredUuidList } from './params';
import { serviceToWire } from './wire';

/** The two owners of services and their path bases. */
export const SERVICE_BASES = [
  { base: '/organization/v3', subjectType: 'org' },
  { base: '/directory/v3', subjectType: 'dir' },
] as const;

function assertNameFree(ctx: RouteContext, name: string, except?: ServiceRecord): void {
  if (ownServices(ctx).some((s) => s !== except && s.name === name)) {
    throw new ApiError(400, 'SVC-001', `A service named ${JSON.stringify(name)} already exists for this ${ctx.subject.type === 'org' ? 'organization' : 'directory'}`);
  }
}

/** Registers `{base}/services` (POST, GET, PATCH) and `{base}/services/list` for both bases. */
export function registerRoutes(router: Router): void {
  for (const { base, subjectType } of SERVICE_BASES) {
    const path = `${base}/services`;
    router.add({
      method: 'POST',
      path,
      subjectTypes: [subjectType],
      handler: (ctx) => {
        const body = bodyOf(ctx.body);
        const name = requiredString(body, 'name');
        const description = optionalString(body, 'description');
        const icon = optionalString(body, 'icon');
        const callbackUrl = optionalUrl(body, 'callback_url');
        const active = optionalBoolean(body, 'active');
        assertNameFree(ctx, name);
        const service: ServiceRecord = {
          id: uuidV1(),
          owner: { type: subjectType, id: ctx.subject.id.toLowerCase() },
          name,
          description: description === ABSENT ? null : description,
          icon: icon === ABSENT ? null : icon,
          callbackUrl: callbackUrl === ABSENT ? null : callbackUrl,
          active: active === ABSENT ? true : active,
          keys: [],
          policy: null,
        };
        ctx.state.data.services.push(service);
        if (subjectType === 'dir') ctx.state.findDirectory(ctx.subject.id)?.serviceIds.push(service.id);
        return { status: 201, body: { id: service.id } };
      },
    });
    router.add({
      method: 'GET',
      path,
      subjectTypes: [subjectType],
      handler: (ctx) => ({ status: 200, body: ownServices(ctx).map(serviceToWire) }),
    });
    router.add({
      method: 'POST',
      path: `${path}/list`,
      subjectTypes: [subjectType],
      handler: (ctx) => {
        const ids = requiredUuidList(bodyOf(ctx.body), 'service_ids');
        return { status: 200, body: ids.map((id) => serviceToWire(ownService(ctx, id))) };
      },
    });
    router.add({
      method: 'PATCH',
      path,
      subjectTypes: [subjectType],
      handler: (ctx) => {
        const body = bodyOf(ctx.body);
        const id = requiredUuid(body, 'service_id');
        const name = body['name'] === null ? null : optionalString(body, 'name');
        if (name === null || name === '') throw ApiError.invalidParameters({ name: 'A service name cannot be cleared' });
        const description = optionalString(body, 'description');
        const icon = optionalString(body, 'icon');
        const callbackUrl = optionalUrl(body, 'callback_url');
        const active = optionalBoolean(body, 'active');
        const service = ownService(ctx, id);
        if (name !== ABSENT) assertNameFree(ctx, name, service);
        if (name !== ABSENT) service.name = name;
        if (description !== ABSENT) service.description = description;
        if (icon !== ABSENT) service.icon = icon;
        if (callbackUrl !== ABSENT) service.callbackUrl = callbackUrl;
        if (active !== ABSENT) service.active = active;
        return { status: 204 };
      },
    });
  }
}
