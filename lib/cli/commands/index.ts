/** The commands of `truvalidate`, in help order (the Python CLI's commands). */
import { authorize, cancelAuthRequest } from './authorize';
import { deviceLink, devicesList, deviceUnlink } from './devices';
import { sessionEnd, sessionStart } from './session';
import { generateUserTotp, removeUserTotp, verifyUserTotp } from './totp';
import type { CommandSpec } from './types';

export type { CommandSpec } from './types';

/** Every command. */
export const COMMANDS: readonly CommandSpec[] = [
  authorize,
  cancelAuthRequest,
  sessionStart,
  sessionEnd,
  deviceLink,
  devicesList,
  deviceUnlink,
  generateUserTotp,
  removeUserTotp,
  verifyUserTotp,
];

/** The command named `name`, or undefined. */
export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}
