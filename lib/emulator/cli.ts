/**
 * The `truvalidate-emulator` command: `npx truvalidate-emulator [--port 8080] [--host 127.0.0.1] [--data DIR]`.
 * Argument parsing (with clear errors) and the long-running main.
 */
import { resolve } from 'node:path';
import { startEmulator } from './emulator';

/** Default data folder of the command, relative to the working directory. */
export const DEFAULT_DATA_DIR = './.truvalidate-emulator';

/** Parsed command line. */
export interface CliOptions {
  port: number;
  host: string;
  dataDir: string;
  help: boolean;
}

/** A bad command line; the message says what is wrong. */
export class CliUsageError extends Error {
  readonly code = 'ERR_TRUVALIDATE_EMULATOR_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/** The `--help` text. */
export const USAGE = `Usage: truvalidate-emulator [--port 8080] [--host 127.0.0.1] [--data DIR]

Runs a local emulator of the TruValidate (LaunchKey) v3 API with a device simulator.

Options:
  --port N     TCP port to listen on (default 8080; 0 picks a free port)
  --host H     interface to bind (default 127.0.0.1)
  --data DIR   folder for state.json and credentials.json (default ${DEFAULT_DATA_DIR})
  --help       show this text
`;

/** Parses the arguments after the command name (`--flag value` or `--flag=value`). Throws {@link CliUsageError}. */
export function parseArgs(argv: readonly string[]): CliOptions {
  const out: CliOptions = { port: 8080, host: '127.0.0.1', dataDir: DEFAULT_DATA_DIR, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') {
      out.help = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    if (flag !== '--port' && flag !== '--host' && flag !== '--data') throw new CliUsageError(`unknown option ${arg} (see --help)`);
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else value = argv[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new CliUsageError(`${flag} needs a value`);
    if (flag === '--port') {
      if (!/^\d+$/.test(value) || Number(value) > 65535) throw new CliUsageError(`--port must be an integer from 0 to 65535, got ${value}`);
      out.port = Number(value);
    } else if (flag === '--host') {
      out.host = value;
    } else {
      out.dataDir = value;
    }
  }
  return out;
}

/** Runs the command: starts the emulator, prints where it is, and stops on SIGINT/SIGTERM. Returns the exit code. */
export async function main(argv: readonly string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  let options: CliOptions;
  try {
    options = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`truvalidate-emulator: ${(err as Error).message}\n`);
    return 2;
  }
  if (options.help) {
    out(USAGE);
    return 0;
  }
  const dataDir = resolve(options.dataDir);
  const emulator = await startEmulator({ port: options.port, host: options.host, dataDir, log: (line) => out(`[emulator] ${line}`) });
  out(`TruValidate emulator listening on ${emulator.url}`);
  out(`Credentials: ${emulator.credentialsPath ?? ''}`);
  out(`Device simulator: ${emulator.simulatorUrl}`);
  await new Promise<void>((resolveStop) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolveStop();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await emulator.close();
  out('TruValidate emulator stopped');
  return 0;
}
