/**
 * Organization directory endpoints (docs/protocol.md §A2.6 rows 4-7, §B5): create with unique names
 * (ORG-003), list all, list by ids (403 as a whole for an unknown or foreign id), partial update (`null` clears;
 * `ios_p12` stored as the certificate's SHA-256 fingerprint).
 */
import { ApiError } from '../../api-error';
import { uuidV1 } from '../../ids';
import type { Router } from '../../router';
import { newDirectoryRecord } from '../../state/records';
import type { DirectoryRecord } from '../../state/types';
import { ownDirectory } from './lookup';
import {
  ABSENT,
  optionalBoolean,
  optionalFields,
  optionalString,
  optionalUrl,
  requiredString,
  requiredUuid,
  requiredUuidList,
  type Body,
  type FieldReaders,
} from '../params';
import { p12CertificateFingerprint, Pkcs12Error } from './pkcs12';
import { routesFor } from './route';
import { directoryToWire } from './wire';

const BASE = '/organization/v3/directories';

/** An optional string where `''` clears like `null`. */
function optionalClearedByEmpty(body: Body, name: string): string | null | typeof ABSENT {
  const value = optionalString(body, name);
  return value === '' ? null : value;
}

/** The directory properties a PATCH body may set directly (the iOS certificate is read apart). */
type DirectoryFields = Pick<DirectoryRecord, 'androidKey' | 'active' | 'denialContextInquiryEnabled' | 'webhookUrl'>;

const DIRECTORY_FIELDS: FieldReaders<DirectoryFields> = {
  androidKey: ['android_key', optionalClearedByEmpty],
  active: ['active', optionalBoolean],
  denialContextInquiryEnabled: ['denial_context_inquiry_enabled', optionalBoolean],
  webhookUrl: ['webhook_url', optionalUrl],
};

/** The stored fingerprint for an `ios_p12` value: null for `null` or blank (clears), else ARG-001 when unreadable. */
function iosCertificateFingerprint(p12: string | null): string | null {
  if (p12 === null || p12.trim() === '') return null;
  try {
    return p12CertificateFingerprint(p12);
  } catch (error) {
    if (error instanceof Pkcs12Error) throw ApiError.invalidParameters({ ios_p12: error.message });
    throw error;
  }
}

/** Registers POST/GET/PATCH `/organization/v3/directories` and POST `/organization/v3/directories/list`. */
export function registerRoutes(router: Router): void {
  const add = routesFor(router, 'org');
  add('POST', BASE, (ctx, body) => {
    const name = requiredString(body, 'name');
    const orgId = ctx.subject.id.toLowerCase();
    const taken = ctx.state.data.directories.some((d) => d.organizationId.toLowerCase() === orgId && d.name === name);
    if (taken)
      throw new ApiError(
        400,
        'ORG-003',
        `A directory named ${JSON.stringify(name)} already exists in this organization`,
      );
    const directory = newDirectoryRecord({ id: uuidV1(), organizationId: orgId, name });
    ctx.state.data.directories.push(directory);
    return { status: 201, body: { id: directory.id } };
  });

  add('GET', BASE, (ctx) => {
    const orgId = ctx.subject.id.toLowerCase();
    return {
      status: 200,
      body: ctx.state.data.directories.filter((d) => d.organizationId.toLowerCase() === orgId).map(directoryToWire),
    };
  });

  add('POST', `${BASE}/list`, (ctx, body) => {
    const ids = requiredUuidList(body, 'directory_ids');
    return { status: 200, body: ids.map((id) => directoryToWire(ownDirectory(ctx, id))) };
  });

  add('PATCH', BASE, (ctx, body) => {
    const id = requiredUuid(body, 'directory_id');
    const p12 = optionalString(body, 'ios_p12');
    const fields = optionalFields(body, DIRECTORY_FIELDS);
    const directory = ownDirectory(ctx, id);
    if (p12 !== ABSENT) directory.iosCertificateFingerprint = iosCertificateFingerprint(p12);
    Object.assign(directory, fields);
    return { status: 204 };
  });
}
