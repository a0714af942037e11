/**
 * SERVICE_ID / DIRECTORY_ID: which entity a command acts for. The id may be left out when it is implied (the
 * credential's own id, or the credentials file's service or directory); a Service credential acts only for itself
 * and a Directory credential only for its own directory and services.
 */
import { parseUuid } from '../sdk/utils';
import { targetArgName, type CommandSpec } from './commands/types';
import type { EntityConfig } from './entity';
import { CliUsageError } from './errors';

/** The id a command acts for and its remaining arguments. */
export interface Target {
  /** The SERVICE_ID or DIRECTORY_ID (lower-case UUID). */
  id: string;
  /** The arguments after the id, as many as the command names. */
  args: string[];
}

/** @throws CliUsageError for a wrong number of arguments, a bad UUID, or an id the credential cannot act for */
export function resolveTarget(spec: CommandSpec, commandArgs: readonly string[], entity: EntityConfig): Target {
  const idName = targetArgName(spec);
  if (spec.target === 'directory' && entity.type === 'service') {
    throw new CliUsageError(
      `${spec.name} is a directory command: use a Directory or Organization credential, not a Service one`,
    );
  }
  const implied = entity.implied[spec.target];
  let raw: string;
  let args: string[];
  if (commandArgs.length === spec.args.length + 1) {
    raw = commandArgs[0] as string;
    args = commandArgs.slice(1);
  } else if (commandArgs.length === spec.args.length && implied !== null) {
    raw = implied;
    args = [...commandArgs];
  } else {
    const optional = implied === null ? '' : ` (${idName} may be left out: it is ${implied})`;
    throw new CliUsageError(
      `${spec.name} takes ${[idName, ...spec.args].join(' ')}${optional}, got ${commandArgs.length} argument(s); ` +
        `run \`truvalidate ${spec.name} --help\``,
    );
  }
  const id = parseUuid(raw);
  if (id === null) throw new CliUsageError(`${idName} must be a UUID, got ${JSON.stringify(raw)}`);
  if (entity.type === spec.target && id !== entity.id) {
    const kind = spec.target === 'service' ? 'Service' : 'Directory';
    throw new CliUsageError(`a ${kind} credential acts only for itself (${entity.id}), not for ${idName} ${id}`);
  }
  return { id, args };
}
