/** `device-link`, `devices-list` and `device-unlink`: a directory user's devices. */
import type { DirectoryClient } from '../../sdk/clients/directory-client';
import type { Device } from '../../sdk/entities/directory';
import { fields, ok, type CommandResult } from '../output';
import type { CommandContext, DirectoryCommand } from './types';
import { intOption } from './values';

async function runLink(ctx: CommandContext<DirectoryClient>): Promise<CommandResult> {
  const [user] = ctx.args as [string];
  const ttl = intOption(ctx.options['ttl'], 'ttl', 1);
  const link = await ctx.client.linkDevice(user, ttl === undefined ? {} : { ttl });
  return ok(
    { directoryId: ctx.targetId, user, code: link.code, qrcode: link.qrcode, deviceId: link.deviceId },
    [
      'Device link request successful: enter the linking code in the authenticator app, or scan the QR code.',
      ...fields([
        ['Linking code', link.code],
        ['QR code URL', link.qrcode],
        ['Device', link.deviceId],
      ]),
    ],
    { text: link.code, label: 'Linking code as a QR code' },
  );
}

function deviceJson(d: Device): Record<string, unknown> {
  return {
    id: d.id,
    name: d.name,
    type: d.type,
    status: d.status.statusCode,
    active: d.status.isActive,
    created: d.created ? d.created.toISOString() : null,
    updated: d.updated ? d.updated.toISOString() : null,
  };
}

async function runList(ctx: CommandContext<DirectoryClient>): Promise<CommandResult> {
  const [user] = ctx.args as [string];
  const devices = await ctx.client.getLinkedDevices(user);
  const lines =
    devices.length === 0
      ? ['No devices found for the given identifier.']
      : devices.flatMap((d) => [
          d.name ? d.name : 'Pending device',
          ...fields([
            ['ID', d.id],
            ['Type', d.type ?? 'N/A'],
            ['Status', d.status.statusCode],
          ]),
        ]);
  return ok({ directoryId: ctx.targetId, user, devices: devices.map(deviceJson) }, lines);
}

async function runUnlink(ctx: CommandContext<DirectoryClient>): Promise<CommandResult> {
  const [user, deviceId] = ctx.args as [string, string];
  await ctx.client.unlinkDevice(user, deviceId);
  return ok({ unlinked: true, directoryId: ctx.targetId, user, deviceId }, [
    'Device unlinked.',
    ...fields([['Device', deviceId]]),
  ]);
}

/** `device-link DIRECTORY_ID USER [--ttl SECONDS]`: starts linking a device (the user is created when new). */
export const deviceLink: DirectoryCommand = {
  name: 'device-link',
  summary: 'start linking a device: prints the linking code (and a QR code)',
  target: 'directory',
  args: ['USER'],
  options: { ttl: { type: 'string', value: 'SECONDS', help: 'how long the linking code stays valid (API default)' } },
  run: runLink,
};

/** `devices-list DIRECTORY_ID USER`: the user's devices. */
export const devicesList: DirectoryCommand = {
  name: 'devices-list',
  summary: "list the user's devices",
  target: 'directory',
  args: ['USER'],
  options: {},
  run: runList,
};

/** `device-unlink DIRECTORY_ID USER DEVICE_ID`: removes a device of the user. */
export const deviceUnlink: DirectoryCommand = {
  name: 'device-unlink',
  summary: 'unlink (remove) a device of the user',
  target: 'directory',
  args: ['USER', 'DEVICE_ID'],
  options: {},
  run: runUnlink,
};
