/** `session-start` and `session-end`: a service session of a user. */
import type { ServiceClient } from '../../sdk/clients/service-client';
import { fields, ok, type CommandResult } from '../output';
import type { CommandContext, ServiceCommand } from './types';

async function runStart(ctx: CommandContext<ServiceClient>): Promise<CommandResult> {
  const [user] = ctx.args as [string];
  await ctx.client.sessionStart(user, null);
  return ok({ session: 'started', serviceId: ctx.targetId, user }, [
    'User session is started.',
    ...fields([['User', user]]),
  ]);
}

async function runEnd(ctx: CommandContext<ServiceClient>): Promise<CommandResult> {
  const [user] = ctx.args as [string];
  await ctx.client.sessionEnd(user);
  return ok({ session: 'ended', serviceId: ctx.targetId, user }, [
    'User session is ended.',
    ...fields([['User', user]]),
  ]);
}

/** `session-start SERVICE_ID USERNAME`: records a service session for the user (without an auth request id). */
export const sessionStart: ServiceCommand = {
  name: 'session-start',
  summary: 'record a service session for the user',
  target: 'service',
  args: ['USERNAME'],
  options: {},
  run: runStart,
};

/** `session-end SERVICE_ID USERNAME`: ends the user's service session. */
export const sessionEnd: ServiceCommand = {
  name: 'session-end',
  summary: "end the user's service session",
  target: 'service',
  args: ['USERNAME'],
  options: {},
  run: runEnd,
};
