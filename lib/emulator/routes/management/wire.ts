/** Wire objects of the management endpoints (docs/protocol.md §10.3 "Object shapes": every key always present). */
import type { DirectoryRecord, ServiceRecord } from '../../state/types';

/** A directory as the API returns it. */
export function directoryToWire(d: DirectoryRecord): Record<string, unknown> {
  return {
    id: d.id,
    name: d.name,
    active: d.active,
    service_ids: [...d.serviceIds],
    sdk_keys: [...d.sdkKeys],
    premium: d.premium,
    android_key: d.androidKey,
    ios_certificate_fingerprint: d.iosCertificateFingerprint,
    denial_context_inquiry_enabled: d.denialContextInquiryEnabled,
    webhook_url: d.webhookUrl,
  };
}

/** A service as the API returns it. */
export function serviceToWire(s: ServiceRecord): Record<string, unknown> {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    icon: s.icon,
    callback_url: s.callbackUrl,
    active: s.active,
  };
}
