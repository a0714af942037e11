/** The shape of a `truvalidate` command: its arguments, its options and what it runs. */
import type { DirectoryClient } from '../../sdk/clients/directory-client';
import type { ServiceClient } from '../../sdk/clients/service-client';
import type { CommandResult, Io } from '../output';

/** One option of a command (parsed by `util.parseArgs`). */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** The help text. */
  help: string;
  /** The value's name in the help (string options), e.g. `SECONDS`. */
  value?: string;
}

/** Parsed option values of a command. */
export type OptionValues = Readonly<Record<string, string | boolean | undefined>>;

/** What a command runs with. */
export interface CommandContext<C> {
  /** The client acting for the command's SERVICE_ID or DIRECTORY_ID. */
  client: C;
  /** The SERVICE_ID or DIRECTORY_ID (lower-case UUID). */
  targetId: string;
  /** The positional arguments after the id, as many as `args` names. */
  args: readonly string[];
  options: OptionValues;
  io: Io;
  /** True with `--json` (progress still goes to stderr). */
  json: boolean;
}

interface BaseCommand {
  /** The command word, e.g. `device-link`. */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The positional arguments after SERVICE_ID / DIRECTORY_ID, e.g. `['USERNAME']`. */
  args: readonly string[];
  options: Readonly<Record<string, OptionSpec>>;
}

/** A command run by a service client (first argument SERVICE_ID). */
export interface ServiceCommand extends BaseCommand {
  target: 'service';
  run(ctx: CommandContext<ServiceClient>): Promise<CommandResult>;
}

/** A command run by a directory client (first argument DIRECTORY_ID). */
export interface DirectoryCommand extends BaseCommand {
  target: 'directory';
  run(ctx: CommandContext<DirectoryClient>): Promise<CommandResult>;
}

/** Any command. */
export type CommandSpec = ServiceCommand | DirectoryCommand;

/** The id argument a command starts with. */
export function targetArgName(spec: CommandSpec): 'SERVICE_ID' | 'DIRECTORY_ID' {
  return spec.target === 'service' ? 'SERVICE_ID' : 'DIRECTORY_ID';
}
