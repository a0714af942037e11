/**
 * The `truvalidate-emulator` command:
 * `npx truvalidate-emulator [--port 8080] [--host 127.0.0.1] [--data DIR] [--public-url URL]`.
 * Argument parsing (with clear errors) and the long-running main.
 */
import { resolve } from 'node:path';
import { parseArgs as parseArgsUtil } from 'node:util';
import { exposureWarning, parsePublicUrl, startEmulator, type Emulator } from './emulator';
import { EmulatorStartError } from './errors';
import { isLoopbackHost } from './http/control-guard';

/** Default data folder of the command, relative to the working directory. */
export const DEFAULT_DATA_DIR = './.truvalidate-emulator';

/** Parsed command line. */
export interface CliOptions {
  port: number;
  host: string;
  dataDir: string;
  /** `--public-url`, or null. */
  publicUrl: string | null;
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
export const USAGE = `Usage: truvalidate-emulator [--port 8080] [--host 127.0.0.1] [--data DIR] [--public-url URL]

Runs a local emulator of the TruValidate (LaunchKey) v3 API with a device simulator.

Options:
  --port N           TCP port to listen on (default 8080; 0 picks a free port)
  --host H           interface to bind (default 127.0.0.1; anything else lets anyone who can reach it approve logins)
  --data DIR         folder for state.json and credentials.json (default ${DEFAULT_DATA_DIR})
  --public-url URL   base of the URLs the emulator hands out, e.g. http://emulator.localhost:8080
                     (behind a proxy or in a container; default: the listening URL)
  --help             show this text
`;

const FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  data: { type: 'string' },
  'public-url': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function usageError(err: unknown): CliUsageError {
  const e = err as { code?: string; message: string };
  const flag = /'(-[-\w]+)/.exec(e.message)?.[1] ?? '';
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new CliUsageError(`unknown option ${flag} (see --help)`);
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return new CliUsageError(`${flag} needs a value`);
  return new CliUsageError(`${e.message.split('\n')[0] ?? e.message} (see --help)`);
}

/**
 * Parses the arguments after the command name (`--flag value` or `--flag=value`, through `node:util` parseArgs).
 * Throws {@link CliUsageError}.
 */
export function parseArgs(argv: readonly string[]): CliOptions {
  let values: { port?: string; host?: string; data?: string; 'public-url'?: string; help?: boolean };
  try {
    ({ values } = parseArgsUtil({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw usageError(err);
  }
  for (const [name, value] of Object.entries(values)) {
    if (value === '') throw new CliUsageError(`--${name} needs a value`);
  }
  const out: CliOptions = {
    port: 8080,
    host: values.host ?? '127.0.0.1',
    dataDir: values.data ?? DEFAULT_DATA_DIR,
    publicUrl: values['public-url'] ?? null,
    help: values.help ?? false,
  };
  if (values.port !== undefined) {
    if (!/^\d+$/.test(values.port) || Number(values.port) > 65535) {
      throw new CliUsageError(`--port must be an integer from 0 to 65535, got ${values.port}`);
    }
    out.port = Number(values.port);
  }
  if (out.publicUrl !== null) {
    try {
      parsePublicUrl(out.publicUrl);
    } catch (err) {
      throw new CliUsageError(`--public-url: ${(err as Error).message.replace(/^publicUrl /, '')}`);
    }
  }
  return out;
}

/** The one line printed when the emulator cannot start: what failed and which option to change. */
export function startFailure(err: EmulatorStartError): string {
  if (err.code === 'ERR_TRUVALIDATE_EMULATOR_DATA_DIR') return `${err.message}; choose another folder with --data DIR`;
  return `${err.message}; choose another port with --port N (0 picks a free one)`;
}

/** Resolves on the first SIGINT or SIGTERM; listening from the start, so a signal during start-up is not lost. */
function nextStopSignal(): Promise<void> {
  return new Promise<void>((resolveStop) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolveStop();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * Runs the command: starts the emulator, prints where it is, and on SIGINT/SIGTERM closes it (which saves the
 * state). Returns the exit code.
 */
export async function main(
  argv: readonly string[],
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<number> {
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
  const stopped = nextStopSignal();
  const dataDir = resolve(options.dataDir);
  const warning = exposureWarning(options.host);
  let emulator: Emulator;
  try {
    emulator = await startEmulator({
      port: options.port,
      host: options.host,
      dataDir,
      ...(options.publicUrl === null ? {} : { publicUrl: options.publicUrl }),
      log: (line) => (line === warning ? undefined : out(`[emulator] ${line}`)),
    });
  } catch (err) {
    if (!(err instanceof EmulatorStartError)) throw err;
    process.stderr.write(`truvalidate-emulator: ${startFailure(err)}\n`);
    return 1;
  }
  if (!isLoopbackHost(options.host)) process.stderr.write(`truvalidate-emulator: ${warning}\n`);
  out(`TruValidate emulator listening on ${emulator.url}`);
  out(`Credentials: ${emulator.credentialsPath ?? ''}`);
  out(`Device simulator: ${emulator.simulatorUrl}`);
  await stopped;
  await emulator.close();
  out('TruValidate emulator stopped');
  return 0;
}
