/** The `--help` texts: the general usage and one per command. */
import { COMMANDS, type CommandSpec } from './commands';
import { targetArgName } from './commands/types';

/** The first usage line. */
export const USAGE_LINE =
  'truvalidate ENTITY_TYPE ENTITY_ID PRIVATE_KEY_FILE [--api URL] [-k KEYFILE]... [--json] COMMAND ARGS...';

const GLOBAL_HELP = `Global options (before, between or after the positionals):
  -u, --api URL             API base URL (default https://api.launchkey.com; with --credentials, the file's url)
  -k, --key KEYFILE         an extra private key for decrypting answers (repeatable; also --additional-key)
  --json                    print exactly one JSON object on stdout (progress stays on stderr)
  --credentials FILE        use the emulator's credentials.json: give an entity name instead of the three
                            positionals; SERVICE_ID / DIRECTORY_ID may then be left out
  -h, --help                show this text, or a command's help with COMMAND --help`;

function commandUsage(spec: CommandSpec): string {
  const options = Object.keys(spec.options).length > 0 ? ' [options]' : '';
  return `${spec.name} ${[targetArgName(spec), ...spec.args].join(' ')}${options}`;
}

/** `truvalidate --help`. */
export function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => commandUsage(c).length));
  const commands = COMMANDS.map((c) => `  ${commandUsage(c).padEnd(width)}  ${c.summary}`).join('\n');
  return `Usage: ${USAGE_LINE}
       truvalidate --credentials FILE ENTITY [--json] COMMAND ARGS...

Calls the TruValidate (LaunchKey) API as a Service, a Directory or an Organization, like the Python SDK's CLI.
ENTITY_TYPE is Service, Directory or Organization (any case); an Organization acts for its directories and all
their services, a Directory for itself and its services, a Service only for itself.

Commands:
${commands}

${GLOBAL_HELP}

Exit codes: 0 success, 1 a negative answer (denied, fraud, failed, expired, canceled, busy, invalid code),
2 a usage error (nothing on stdout), 3 an API or network error.
Example: truvalidate --credentials .data/emulator/credentials.json service authorize alice
`;
}

/** `truvalidate COMMAND --help`. */
export function commandHelp(spec: CommandSpec): string {
  const entries = Object.entries(spec.options).map(([name, o]) => {
    const flag = o.type === 'string' ? `--${name} ${o.value ?? 'VALUE'}` : `--${name}`;
    return `  ${flag.padEnd(26)}${o.help}`;
  });
  const options = entries.length > 0 ? `\nOptions:\n${entries.join('\n')}\n` : '';
  const who =
    spec.target === 'service'
      ? 'a Service, or a Directory or Organization acting for SERVICE_ID'
      : 'a Directory, or an Organization acting for DIRECTORY_ID';
  return `Usage: truvalidate ENTITY_TYPE ENTITY_ID PRIVATE_KEY_FILE [global options] ${commandUsage(spec)}

${spec.summary[0]!.toUpperCase()}${spec.summary.slice(1)}.
Run by ${who}.
${options}
${GLOBAL_HELP}
`;
}
