/** `generate-user-totp`, `remove-user-totp` (directory) and `verify-user-totp` (service). */
import type { DirectoryClient } from '../../sdk/clients/directory-client';
import type { ServiceClient } from '../../sdk/clients/service-client';
import type { DirectoryUserTOTP } from '../../sdk/entities/directory';
import { EXIT_NEGATIVE, EXIT_OK } from '../errors';
import { fields, ok, type CommandResult } from '../output';
import type { CommandContext, DirectoryCommand, ServiceCommand } from './types';

/** The issuer an authenticator app shows for secrets from this command. */
export const TOTP_ISSUER = 'TruValidate';

/** The `otpauth://totp/` URI (Key Uri Format) of a secret, labelled `TruValidate:<user>`. */
export function otpauthUri(user: string, totp: DirectoryUserTOTP): string {
  const params = new URLSearchParams({
    secret: totp.secret,
    issuer: TOTP_ISSUER,
    algorithm: totp.algorithm,
    digits: String(totp.digits),
    period: String(totp.period),
  });
  return `otpauth://totp/${encodeURIComponent(TOTP_ISSUER)}:${encodeURIComponent(user)}?${params.toString()}`;
}

async function runGenerate(ctx: CommandContext<DirectoryClient>): Promise<CommandResult> {
  const [user] = ctx.args as [string];
  const totp = await ctx.client.generateUserTotp(user);
  const uri = otpauthUri(user, totp);
  return ok(
    {
      directoryId: ctx.targetId,
      user,
      secret: totp.secret,
      algorithm: totp.algorithm,
      digits: totp.digits,
      period: totp.period,
      uri,
    },
    [
      'TOTP generated for the user: add the secret to an authenticator app, or scan the QR code.',
      ...fields([
        ['Secret', totp.secret],
        ['Algorithm', totp.algorithm],
        ['Digits', totp.digits],
        ['Period', `${totp.period} s`],
        ['URI', uri],
      ]),
    ],
    { text: uri, label: 'TOTP secret as a QR code' },
  );
}

async function runRemove(ctx: CommandContext<DirectoryClient>): Promise<CommandResult> {
  const [user] = ctx.args as [string];
  await ctx.client.removeUserTotp(user);
  return ok({ removed: true, directoryId: ctx.targetId, user }, [
    'TOTP configuration removed from the user.',
    ...fields([['User', user]]),
  ]);
}

async function runVerify(ctx: CommandContext<ServiceClient>): Promise<CommandResult> {
  const [user, code] = ctx.args as [string, string];
  const valid = await ctx.client.verifyTotp(user, code);
  return {
    exitCode: valid ? EXIT_OK : EXIT_NEGATIVE,
    json: { valid, serviceId: ctx.targetId, user },
    lines: [valid ? 'The TOTP code is valid.' : 'The TOTP code is not valid.'],
  };
}

/** `generate-user-totp DIRECTORY_ID USER`: creates or replaces the user's TOTP secret. */
export const generateUserTotp: DirectoryCommand = {
  name: 'generate-user-totp',
  summary: "create or replace the user's TOTP secret (and print a QR code)",
  target: 'directory',
  args: ['USER'],
  options: {},
  run: runGenerate,
};

/** `remove-user-totp DIRECTORY_ID USER`: removes the user's TOTP secret. */
export const removeUserTotp: DirectoryCommand = {
  name: 'remove-user-totp',
  summary: "remove the user's TOTP secret",
  target: 'directory',
  args: ['USER'],
  options: {},
  run: runRemove,
};

/** `verify-user-totp SERVICE_ID USER CODE`: checks a TOTP code (exit 1 when it is not valid). */
export const verifyUserTotp: ServiceCommand = {
  name: 'verify-user-totp',
  summary: 'check a TOTP code of the user (exit 1 when not valid)',
  target: 'service',
  args: ['USER', 'CODE'],
  options: {},
  run: runVerify,
};
