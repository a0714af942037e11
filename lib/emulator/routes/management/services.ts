/**
 * Service endpoints of organizations and directories (docs/protocol.md §A2.6 rows 15-18, §B7):
 * `{base}/services` with names unique per owner (SVC-001), list by ids (403 as a whole for an unknown or foreign
 * id), partial update (`null` clears).
 */
import { ApiError } from '../../api-error';
import { uuidV1 } from '../../ids';
import type { RouteContext, Router } from '../../router';
import { newServiceRecord } from '../../state/records';
import type { ServiceRecord } from '../../state/types';
import { ownService, ownServices } from './lookup';
import {
  ABSENT,
  optionalBoolean,
  optionalFields,
  optionalString,
  optionalUrl,
  requiredString,
  requiredUuid,
  requiredUuidList,
  type FieldReaders,
} from '../params';
import { forEachServiceOwner } from './route';
import { serviceToWire } from './wire';

/** The service properties that create and PATCH bodies may set besides the name. */
type ServiceFields = Pick<ServiceRecord, 'description' | 'icon' | 'callbackUrl' | 'active'>;

const SERVICE_FIELDS: FieldReaders<ServiceFields> = {
  description: ['description', optionalString],
  icon: ['icon', optionalString],
  callbackUrl: ['callback_url', optionalUrl],
  active: ['active', optionalBoolean],
};

function assertNameFree(ctx: RouteContext, name: string, except?: ServiceRecord): void {
  if (ownServices(ctx).some((s) => s !== except && s.name === name)) {
    throw new ApiError(
      400,
      'SVC-001',
      `A service named ${JSON.stringify(name)} already exists for this ` +
        `${ctx.subject.type === 'org' ? 'organization' : 'directory'}`,
    );
  }
}

/** Registers `{base}/services` (POST, GET, PATCH) and `{base}/services/list` for both bases. */
export function registerRoutes(router: Router): void {
  forEachServiceOwner(router, (add, base, subjectType) => {
    const path = `${base}/services`;
    add('POST', path, (ctx, body) => {
      const name = requiredString(body, 'name');
      const fields = optionalFields(body, SERVICE_FIELDS);
      assertNameFree(ctx, name);
      const service = newServiceRecord({
        id: uuidV1(),
        owner: { type: subjectType, id: ctx.subject.id.toLowerCase() },
        name,
        ...fields,
      });
      ctx.state.data.services.push(service);
      if (subjectType === 'dir') ctx.state.findDirectory(ctx.subject.id)?.serviceIds.push(service.id);
      return { status: 201, body: { id: service.id } };
    });
    add('GET', path, (ctx) => ({ status: 200, body: ownServices(ctx).map(serviceToWire) }));
    add('POST', `${path}/list`, (ctx, body) => {
      const ids = requiredUuidList(body, 'service_ids');
      return { status: 200, body: ids.map((id) => serviceToWire(ownService(ctx, id))) };
    });
    add('PATCH', path, (ctx, body) => {
      const id = requiredUuid(body, 'service_id');
      const name = body['name'] === null ? null : optionalString(body, 'name');
      if (name === null || name === '') throw ApiError.invalidParameters({ name: 'A service name cannot be cleared' });
      const fields = optionalFields(body, SERVICE_FIELDS);
      const service = ownService(ctx, id);
      if (name !== ABSENT) {
        assertNameFree(ctx, name, service);
        service.name = name;
      }
      Object.assign(service, fields);
      return { status: 204 };
    });
  });
}
