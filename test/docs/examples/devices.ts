// devices.ts: link a device (QR code), list the user's devices, unlink one.
import type { DirectoryClient } from 'passport-truvalidate/sdk';

/** Starts linking a new device; show `qrcode` (an image URL) in an <img>, or `code` for typing in. */
export async function startLinking(
  directory: DirectoryClient,
  user: string,
): Promise<{ qrcodeUrl: string; code: string; deviceId: string }> {
  const link = await directory.linkDevice(user, { ttl: 300 }); // the code is valid for 5 minutes
  return { qrcodeUrl: link.qrcode, code: link.code, deviceId: link.deviceId };
}

/** The user's devices: LINK_PENDING until the phone scans the code, then LINKED. */
export async function listDevices(
  directory: DirectoryClient,
  user: string,
): Promise<Array<{ id: string; name: string | null; status: string }>> {
  const devices = await directory.getLinkedDevices(user);
  return devices.map((device) => ({ id: device.id, name: device.name, status: device.status.statusCode }));
}

/** Removes a device (pending ones too); an unknown user or device is `EntityNotFound`. */
export async function unlink(directory: DirectoryClient, user: string, deviceId: string): Promise<void> {
  await directory.unlinkDevice(user, deviceId);
}
