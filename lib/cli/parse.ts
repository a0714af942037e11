/**
 * Command-line parsing with Node's `util.parseArgs`. The global options (`--api`, `-k`, `--json`, `--credentials`)
 * may stand anywhere: before, between or after the positionals, and after COMMAND too; a command's own options
 * follow COMMAND.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { COMMANDS, findCommand, type CommandSpec } from './commands';
import type { OptionValues } from './commands/types';
import { parseEntityType, type EntityType } from './entity-type';
import { CliUsageError } from './errors';

/** The global options (`util.parseArgs` configuration). */
export const GLOBAL_OPTIONS = {
  api: { type: 'string', short: 'u' },
  key: { type: 'string', short: 'k', multiple: true },
  'additional-key': { type: 'string', multiple: true },
  json: { type: 'boolean' },
  credentials: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** `truvalidate --help` or `truvalidate [...] COMMAND --help`. */
export interface HelpRequest {
  kind: 'help';
  /** The command whose help is asked for, or null for the general help. */
  command: CommandSpec | null;
}

/** A command to run. */
export interface RunRequest {
  kind: 'run';
  json: boolean;
  /** `--api`, or undefined (then the credentials file's URL, else production). */
  api: string | undefined;
  /** `-k` / `--key` / `--additional-key` files, in order. */
  keyFiles: string[];
  /** `--credentials FILE`, or undefined. */
  credentials: string | undefined;
  entityType: EntityType;
  /** ENTITY_ID, or null with `--credentials`. */
  entityId: string | null;
  /** PRIVATE_KEY_FILE, or null with `--credentials`. */
  privateKeyFile: string | null;
  command: CommandSpec;
  /** The positionals after COMMAND. */
  commandArgs: string[];
  /** The command's own options. */
  commandOptions: OptionValues;
}

/** What the command line asks for. */
export type CommandLine = HelpRequest | RunRequest;

function allOptions(): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = { ...GLOBAL_OPTIONS };
  for (const command of COMMANDS) {
    for (const [name, spec] of Object.entries(command.options)) options[name] = { type: spec.type };
  }
  return options;
}

const SEE_HELP = 'run `truvalidate --help` for the usage';
const COMMAND_NAMES = COMMANDS.map((c) => c.name).join(', ');

/**
 * Parses the arguments after the command name.
 * @throws CliUsageError for an unknown option, a missing value, an unknown entity type or command, a command option
 *   placed before COMMAND or given to a command that does not have it, and missing positionals
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: allOptions(), allowPositionals: true, strict: true, tokens: true });
  } catch (err) {
    throw new CliUsageError(`${(err as Error).message}; ${SEE_HELP}`, { cause: err });
  }
  const { values, tokens } = parsed;
  const positionals = tokens.filter((t) => t.kind === 'positional');
  if (values['help'] === true) {
    const named = positionals.map((t) => findCommand(t.value)).find((c) => c !== undefined);
    return { kind: 'help', command: named ?? null };
  }
  const credentials = values['credentials'] as string | undefined;
  const head = credentials === undefined ? ['ENTITY_TYPE', 'ENTITY_ID', 'PRIVATE_KEY_FILE'] : ['ENTITY_TYPE'];
  if (positionals.length === 0) throw new CliUsageError(`missing ${head.join(' ')} and COMMAND; ${SEE_HELP}`);
  const entityType = parseEntityType(positionals[0]!.value);
  if (entityType === null) {
    throw new CliUsageError(
      `unknown entity type ${JSON.stringify(positionals[0]!.value)}: use Service, Directory or Organization`,
    );
  }
  const early = positionals.slice(1, head.length).find((t) => findCommand(t.value) !== undefined);
  if (early !== undefined) {
    const hint = credentials === undefined ? ' (or use --credentials FILE with an entity name)' : '';
    throw new CliUsageError(`${early.value} needs ${head.join(' ')} before it${hint}; ${SEE_HELP}`);
  }
  const commandToken = positionals[head.length];
  if (commandToken === undefined) {
    const missing = head.slice(positionals.length).join(' ');
    throw new CliUsageError(`missing ${missing === '' ? '' : `${missing} and `}COMMAND; ${SEE_HELP}`);
  }
  const command = findCommand(commandToken.value);
  if (command === undefined) {
    const hint =
      credentials !== undefined && parseEntityType(commandToken.value) === null
        ? ' (with --credentials, give only the entity name before COMMAND)'
        : '';
    throw new CliUsageError(`unknown command ${JSON.stringify(commandToken.value)}${hint}; commands: ${COMMAND_NAMES}`);
  }
  for (const token of tokens) {
    if (token.kind !== 'option' || token.name in GLOBAL_OPTIONS) continue;
    if (token.index < commandToken.index)
      throw new CliUsageError(`${token.rawName} is an option of a command: put it after COMMAND`);
    if (!(token.name in command.options)) {
      throw new CliUsageError(
        `${command.name} has no option ${token.rawName}; run \`truvalidate ${command.name} --help\``,
      );
    }
  }
  const commandOptions: Record<string, string | boolean | undefined> = {};
  for (const name of Object.keys(command.options)) commandOptions[name] = values[name] as string | boolean | undefined;
  return {
    kind: 'run',
    json: values['json'] === true,
    api: values['api'] as string | undefined,
    keyFiles: [
      ...((values['key'] as string[] | undefined) ?? []),
      ...((values['additional-key'] as string[] | undefined) ?? []),
    ],
    credentials,
    entityType,
    entityId: credentials === undefined ? positionals[1]!.value : null,
    privateKeyFile: credentials === undefined ? positionals[2]!.value : null,
    command,
    commandArgs: positionals.slice(head.length + 1).map((t) => t.value),
    commandOptions,
  };
}
