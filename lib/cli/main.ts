/**
 * The `truvalidate` command: the Python SDK CLI's invocation and commands, on this package's SDK. Parses the
 * command line, makes the client, runs the command and prints the result; resolves to the exit code.
 */
import { commandHelp, generalHelp } from './help';
import { Entity, loadEntityConfig } from './entity';
import { errorMessage, exitCodeFor, EXIT_API, EXIT_OK, jsonError, type ExitCode } from './errors';
import { printResult, type CommandResult, type Io } from './output';
import { parseCommandLine, type RunRequest } from './parse';
import { resolveTarget } from './target';

export { EXIT_API, EXIT_NEGATIVE, EXIT_OK, EXIT_USAGE, CliUsageError } from './errors';

async function run(request: RunRequest, io: Io): Promise<CommandResult> {
  const config = loadEntityConfig(request);
  const target = resolveTarget(request.command, request.commandArgs, config);
  const entity = new Entity(config, io.stderr);
  const base = { targetId: target.id, args: target.args, options: request.commandOptions, io, json: request.json };
  const spec = request.command;
  if (spec.target === 'service') return spec.run({ ...base, client: entity.serviceClient(target.id) });
  return spec.run({ ...base, client: entity.directoryClient(target.id) });
}

/**
 * Runs `truvalidate` with the arguments after the command name. Never rejects: errors print `truvalidate: <message>`
 * on stderr (and, with `--json`, an API error also prints `{ "error": {...} }` on stdout).
 * @param io the output streams (default `process.stdout` and `process.stderr`)
 * @returns the exit code: 0 success, 1 negative answer, 2 usage error, 3 API or network error
 */
export async function main(
  argv: readonly string[],
  io: Io = { stdout: process.stdout, stderr: process.stderr },
): Promise<ExitCode> {
  let json = false;
  try {
    const request = parseCommandLine(argv);
    if (request.kind === 'help') {
      io.stdout.write(request.command === null ? generalHelp() : commandHelp(request.command));
      return EXIT_OK;
    }
    json = request.json;
    const result = await run(request, io);
    await printResult(result, json, io);
    return result.exitCode;
  } catch (err) {
    const code = exitCodeFor(err);
    io.stderr.write(`truvalidate: ${errorMessage(err)}\n`);
    if (json && code === EXIT_API) io.stdout.write(`${JSON.stringify({ error: jsonError(err) }, null, 2)}\n`);
    return code;
  }
}
