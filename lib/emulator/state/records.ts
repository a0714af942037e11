/** New directory and service records with the API's defaults (first start and the create endpoints). */
import type { DirectoryRecord, KeyRecord, ServiceRecord } from './types';

/** What a new directory is made from; `keys` and `serviceIds` default to empty. */
export interface NewDirectory {
  id: string;
  organizationId: string;
  name: string;
  keys?: KeyRecord[];
  serviceIds?: string[];
}

/**
 * A new directory: active, no SDK keys, not premium, no Android key or iOS certificate, denial context inquiry
 * enabled, no webhook URL.
 */
export function newDirectoryRecord(d: NewDirectory): DirectoryRecord {
  return {
    id: d.id,
    organizationId: d.organizationId,
    name: d.name,
    active: true,
    keys: d.keys ?? [],
    serviceIds: d.serviceIds ?? [],
    sdkKeys: [],
    premium: false,
    androidKey: null,
    iosCertificateFingerprint: null,
    denialContextInquiryEnabled: true,
    webhookUrl: null,
  };
}

/** What a new service is made from; unset (or undefined) fields take the defaults of {@link newServiceRecord}. */
export interface NewService {
  id: string;
  owner: ServiceRecord['owner'];
  name: string;
  description?: string | null;
  icon?: string | null;
  callbackUrl?: string | null;
  active?: boolean;
  keys?: KeyRecord[];
}

/** A new service: description, icon and callback URL default to null, `active` to true, keys to none; no policy. */
export function newServiceRecord(s: NewService): ServiceRecord {
  return {
    id: s.id,
    owner: s.owner,
    name: s.name,
    description: s.description ?? null,
    icon: s.icon ?? null,
    callbackUrl: s.callbackUrl ?? null,
    active: s.active ?? true,
    keys: s.keys ?? [],
    policy: null,
  };
}
