/** Directory users and their devices: creation, link codes, link completion (docs/protocol.md §10.2, §11.7, §12). */
import { randomUUID } from 'node:crypto';
import { keyId, publicKeyPem } from '../../sdk/wire';
import { isoFormat } from '../../sdk/wire';
import { generateRsaPrivateKeyPem } from '../state/bootstrap';
import { parseEntity } from '../state/entities';
import { linkCode, uuidV1 } from '../ids';
import type { EmulatorRuntime } from '../runtime';
import { pruneExpiredLinks } from './retention';
import type { DeviceRecord, DirectoryRecord, UserRecord } from '../state/types';
import { sendEncryptedWebhook, type WebhookDelivery } from '../webhooks';

/** Default lifetime of a link code in seconds. */
export const DEFAULT_LINK_TTL = 300;

/** The user with that identifier in the directory, created when absent. */
export function ensureUser(rt: EmulatorRuntime, directory: DirectoryRecord, identifier: string): UserRecord {
  const existing = rt.state.findUser(directory.id, identifier);
  if (existing) return existing;
  const user: UserRecord = {
    identifier,
    directoryId: directory.id,
    pushId: randomUUID(),
    created: isoFormat(rt.clock.now()),
    devices: [],
    totp: null,
    sessions: [],
  };
  rt.state.data.users.push(user);
  return user;
}

function newDevice(rt: EmulatorRuntime, user: UserRecord, status: 0 | 1): DeviceRecord {
  const now = isoFormat(rt.clock.now());
  return {
    id: uuidV1(),
    name: `Emulated device ${user.devices.length + 1}`,
    type: 'Emulator',
    status,
    created: now,
    updated: now,
    linkCode: null,
    linkExpiresAt: null,
    linkIssuer: null,
    linkSigningKeyId: null,
    publicKey: null,
  };
}

/** URL of the QR code image of a link code, served by the emulator (under its public URL). */
export function qrcodeUrl(rt: EmulatorRuntime, code: string): string {
  return `${rt.url}/_emulator/qrcode/${encodeURIComponent(code)}.png`;
}

/** `POST /directory/v3/devices`: creates the user if needed and a LINK_PENDING device with a fresh code. */
export function startDeviceLink(
  rt: EmulatorRuntime,
  directory: DirectoryRecord,
  identifier: string,
  ttl: number,
  issuer: string,
  signingKeyId: string,
): { qrcode: string; code: string; device_id: string } {
  pruneExpiredLinks(rt);
  const user = ensureUser(rt, directory, identifier);
  const device = newDevice(rt, user, 0);
  let code = linkCode();
  while (findPendingLink(rt, code)) code = linkCode();
  device.linkCode = code;
  device.linkExpiresAt = rt.clock.nowSeconds() + ttl;
  device.linkIssuer = issuer;
  device.linkSigningKeyId = signingKeyId;
  user.devices.push(device);
  return { qrcode: qrcodeUrl(rt, code), code, device_id: device.id };
}

/** A pending, unexpired link code. */
export interface PendingLink {
  user: UserRecord;
  device: DeviceRecord;
}

/** Every pending, unexpired link. */
export function pendingLinks(rt: EmulatorRuntime): PendingLink[] {
  const now = rt.clock.nowSeconds();
  const out: PendingLink[] = [];
  for (const user of rt.state.data.users) {
    for (const device of user.devices) {
      if (device.status === 0 && device.linkCode !== null && (device.linkExpiresAt ?? 0) > now)
        out.push({ user, device });
    }
  }
  return out;
}

/** The pending device with that link code (exact match) if the code has not expired. */
export function findPendingLink(rt: EmulatorRuntime, code: string): PendingLink | undefined {
  return pendingLinks(rt).find((link) => link.device.linkCode === code);
}

/**
 * The device side completes a link: the device gets a key pair and becomes LINKED, and the device link completion
 * webhook goes to the directory's `webhook_url` (encrypted for the credential that requested the link).
 */
export async function completeDeviceLink(rt: EmulatorRuntime, link: PendingLink): Promise<WebhookDelivery | null> {
  const { user, device } = link;
  const devicePem = publicKeyPem(await generateRsaPrivateKeyPem(rt.keyBits));
  device.status = 1;
  device.linkCode = null;
  device.linkExpiresAt = null;
  device.publicKey = devicePem;
  device.updated = isoFormat(rt.clock.now());
  rt.state.save();
  const directory = rt.state.findDirectory(user.directoryId);
  if (!directory?.webhookUrl) return null;
  const issuerRef = parseEntity(device.linkIssuer) ?? { type: 'dir' as const, id: directory.id };
  const entity = rt.state.findEntity(issuerRef);
  if (!entity) return null;
  const signingKeyId = device.linkSigningKeyId ?? entity.keys[0]?.id ?? '';
  return sendEncryptedWebhook(rt, {
    url: directory.webhookUrl,
    kind: 'device_link_completion',
    aud: `${issuerRef.type}:${issuerRef.id}`,
    sub: `dir:${directory.id}`,
    payload: {
      type: 'DEVICE_LINK_COMPLETION',
      device_id: device.id,
      device_public_key: devicePem,
      device_public_key_id: keyId(devicePem),
    },
    encryptTo: { entity, signingKeyId },
  });
}

/** Test convenience: the user (created if needed) gets one LINKED device at once, without a webhook. */
export function addLinkedDevice(rt: EmulatorRuntime, directory: DirectoryRecord, identifier: string): DeviceRecord {
  const user = ensureUser(rt, directory, identifier);
  const device = newDevice(rt, user, 1);
  user.devices.push(device);
  rt.state.save();
  return device;
}
