/**
 * Organization directory endpoints (sdk-api.md 2.6 rows 4-7, api-behaviour.md 5): create with unique names
 * (ORG-003), list all, list by ids (403 as a whole for an unknown or foreign id), partial update (`null` clears;
 * `ios_p12` stored as the certificate's SHA-256 fingerprint).
 */
import { ApiError } from '../../api-error';
import { uuidV1 } from '../../ids';
import type { Router } from '../../router';
import type { DirectoryRecord } from '../../state/types';
import { ownDirectory } from './lookup';
import { ABSENT, bodyOf, optionalBoolean, optionalString, optionalUrl, requiredString, requiredUuid, requiredUuidList } from './params';
import { p12CertificateFingerprint, Pkcs12Error } from './pkcs12';
import { directoryToWire } from './wire';

const BASE = '/organization/v3/directories';

/** Registers POST/GET/PATCH `/organization/v3/directories` and POST `/organization/v3/directories/list`. */
export function registerRoutes(router: Router): void {
  router.add({
    method: 'POST',
    path: BASE,
    subjectTypes: ['org'],
    handler: (ctx) => {
      const name = requiredString(bodyOf(ctx.body), 'name');
      const orgId = ctx.subject.id.toLowerCase();
      const taken = ctx.state.data.directories.some((d) => d.organizationId.toLowerCase() === orgId && d.name === name);
      if (taken) throw new ApiError(400, 'ORG-003', `A directory named ${JSON.stringify(name)} already exists in this organization`);
      const directory: DirectoryRecord = {
        id: uuidV1(),
        organizationId: orgId,
        name,
        active: true,
        keys: [],
        serviceIds: [],
        sdkKeys: [],
        premium: false,
        androidKey: null,
        iosCertificateFingerprint: null,
        denialContextInquiryEnabled: true,
        webhookUrl: null,
      };
      ctx.state.data.directories.push(directory);
      return { status: 201, body: { id: directory.id } };
    },
  });

  router.add({
    method: 'GET',
    path: BASE,
    subjectTypes: ['org'],
    handler: (ctx) => {
      const orgId = ctx.subject.id.toLowerCase();
      return { status: 200, body: ctx.state.data.directories.filter((d) => d.organizationId.toLowerCase() === orgId).map(directoryToWire) };
    },
  });

  router.add({
    method: 'POST',
    path: `${BASE}/list`,
    subjectTypes: ['org'],
    handler: (ctx) => {
      const ids = requiredUuidList(bodyOf(ctx.body), 'directory_ids');
      return { status: 200, body: ids.map((id) => directoryToWire(ownDirectory(ctx, id))) };
    },
  });

  router.add({
    method: 'PATCH',
    path: BASE,
    subjectTypes: ['org'],
    handler: (ctx) => {
      const body = bodyOf(ctx.body);
      const id = requiredUuid(body, 'directory_id');
      const p12 = optionalString(body, 'ios_p12');
      const androidKey = optionalString(body, 'android_key');
      const active = optionalBoolean(body, 'active');
      const denial = optionalBoolean(body, 'denial_context_inquiry_enabled');
      const webhookUrl = optionalUrl(body, 'webhook_url');
      const directory = ownDirectory(ctx, id);
      let fingerprint: string | null | typeof ABSENT = ABSENT;
      if (p12 !== ABSENT) {
        try {
          fingerprint = p12 === null || p12.trim() === '' ? null : p12CertificateFingerprint(p12);
        } catch (error) {
          if (error instanceof Pkcs12Error) throw ApiError.invalidParameters({ ios_p12: error.message });
          throw error;
        }
      }
      if (fingerprint !== ABSENT) directory.iosCertificateFingerprint = fingerprint;
      if (androidKey !== ABSENT) directory.androidKey = androidKey === '' ? null : androidKey;
      if (active !== ABSENT) directory.active = active;
      if (denial !== ABSENT) directory.denialContextInquiryEnabled = denial;
      if (webhookUrl !== ABSENT) directory.webhookUrl = webhookUrl;
      return { status: 204 };
    },
  });
}
