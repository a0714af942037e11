import { sdk } from 'passport-truvalidate';
import type { AppDeps } from '../deps';
import { ExampleAppError } from '../errors';
import type { PendingLinkData } from '../session-data';

/** Where a device link stands: waiting for the phone, done, its code expired, or gone (unlinked elsewhere). */
export type LinkStatus = 'pending' | 'linked' | 'expired' | 'gone';

/** The directory client, or a 501 error telling the operator which credentials enable the feature. */
export function requireDirectory(deps: AppDeps): NonNullable<AppDeps['directoryClient']> {
  if (!deps.directoryClient) {
    throw new ExampleAppError(
      501,
      'ERR_EXAMPLE_NO_DIRECTORY',
      'Device linking needs directory credentials (TRUVALIDATE_DIRECTORY_ID and TRUVALIDATE_DIRECTORY_PRIVATE_KEY).',
    );
  }
  return deps.directoryClient;
}

/**
 * The status of a pending device link: the directory webhook's record first (instant), else the directory's
 * device list (status LINKED = linked); a code past its expiry that no phone used is `expired`.
 */
export async function linkStatus(deps: AppDeps, link: PendingLinkData, now = Date.now()): Promise<LinkStatus> {
  if (deps.linkTracker.isLinked(link.deviceId)) return 'linked';
  const devices = await requireDirectory(deps).getLinkedDevices(link.username);
  const device = devices.find((d) => d.id === link.deviceId);
  if (!device) return 'gone';
  if (device.status.statusCode === 'LINKED') {
    deps.linkTracker.markLinked(link.deviceId);
    return 'linked';
  }
  return link.expiresAt <= now ? 'expired' : 'pending';
}

/** Unlinks a device, ignoring one that is already gone (unknown at the directory). */
export async function unlinkQuietly(directory: sdk.DirectoryClient, username: string, deviceId: string): Promise<void> {
  try {
    await directory.unlinkDevice(username, deviceId);
  } catch (error) {
    if (!(error instanceof sdk.EntityNotFound)) throw error;
  }
}

/** Plain label of a device status (`LINK_PENDING`, `LINKED`, `UNLINK_PENDING`). */
export function deviceStatusLabel(statusCode: sdk.DeviceStatusName): string {
  return statusCode.toLowerCase().replace(/_/g, ' ');
}
