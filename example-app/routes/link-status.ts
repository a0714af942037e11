import type { sdk } from 'passport-truvalidate';
import type { AppDeps } from '../deps';
import { ExampleAppError } from '../errors';
import type { PendingLinkData } from '../session-data';

/** Where a device link stands: still waiting for the phone, done, or gone (unlinked or expired). */
export type LinkStatus = 'pending' | 'linked' | 'gone';

/** The directory client, or a 501 error telling the operator which credentials enable the feature. */
export function requireDirectory(deps: AppDeps): NonNullable<AppDeps['directoryClient']> {
  if (!deps.directoryClient) {
    throw new ExampleAppError(501, 'ERR_EXAMPLE_NO_DIRECTORY',
      'Device linking needs directory credentials (TRUVALIDATE_DIRECTORY_ID and TRUVALIDATE_DIRECTORY_PRIVATE_KEY).');
  }
  return deps.directoryClient;
}

/**
 * The status of a pending device link: the directory webhook's record first (instant), else the directory's
 * device list (status 1 = linked).
 */
export async function linkStatus(deps: AppDeps, link: PendingLinkData): Promise<LinkStatus> {
  if (deps.linkTracker.isLinked(link.deviceId)) return 'linked';
  const devices = await requireDirectory(deps).getLinkedDevices(link.username);
  const device = devices.find((d) => d.id === link.deviceId);
  if (!device) return 'gone';
  if (device.status.statusCode === 'LINKED') {
    deps.linkTracker.markLinked(link.deviceId);
    return 'linked';
  }
  return 'pending';
}

/** Plain label of a device status (`LINK_PENDING`, `LINKED`, `UNLINK_PENDING`). */
export function deviceStatusLabel(statusCode: sdk.DeviceStatusName): string {
  return statusCode.toLowerCase().replace(/_/g, ' ');
}
