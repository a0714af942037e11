/**
 * Exit codes of the `truvalidate` command and the mapping from errors to them. Usage errors are typed here; API and
 * network errors are the SDK's own typed errors.
 */
import { LaunchKeyAPIException, LaunchKeyError } from '../sdk/errors';

/** Exit code: success (authorized, valid, done). */
export const EXIT_OK = 0;
/** Exit code: a negative answer (denied, fraud, failed, expired, canceled, busy, invalid code, not canceled). */
export const EXIT_NEGATIVE = 1;
/** Exit code: a usage error (bad command line, unreadable key file, bad UUID). Nothing is printed on stdout. */
export const EXIT_USAGE = 2;
/** Exit code: an API or network error (the SDK's typed error), or any other failure. */
export const EXIT_API = 3;

/** The exit codes the command uses. */
export type ExitCode = typeof EXIT_OK | typeof EXIT_NEGATIVE | typeof EXIT_USAGE | typeof EXIT_API;

/** A bad command line or an unusable input file; the message says what is wrong and what to do. Exit code 2. */
export class CliUsageError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'ERR_TRUVALIDATE_CLI_USAGE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliUsageError';
  }
}

/**
 * The exit code for an error: 2 for {@link CliUsageError} and for the SDK's client-side errors (`InvalidPrivateKey`,
 * `InvalidIssuerFormat`, ...: bad inputs caught before any call), 3 for everything else (API and network errors).
 */
export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof CliUsageError) return EXIT_USAGE;
  if (err instanceof LaunchKeyError && !(err instanceof LaunchKeyAPIException)) return EXIT_USAGE;
  return EXIT_API;
}

/** The JSON form of an API error printed on stdout with `--json` (exit code 3). */
export interface JsonError {
  /** The error class name, e.g. `EntityNotFound`. */
  name: string;
  /** The SDK's stable code, e.g. `ERR_TRUVALIDATE_ENTITY_NOT_FOUND`. */
  code: string | null;
  /** The API error code (e.g. `SVC-005`), or null. */
  errorCode: string | null;
  /** The HTTP status, or null (network errors, client-side checks). */
  statusCode: number | null;
  /** The error's own message (the API's `error_detail` for API errors). */
  message: string;
}

/** Describes an error for `--json` output. */
export function jsonError(err: unknown): JsonError {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: unknown }).code;
  return {
    name: e.name,
    code: typeof code === 'string' ? code : null,
    errorCode: err instanceof LaunchKeyAPIException ? err.errorCode : null,
    statusCode: err instanceof LaunchKeyAPIException ? err.statusCode : null,
    message: e.message,
  };
}

/** One line describing an error: `Name: message` (`Name (ERROR-CODE, HTTP 404): message` for API errors). */
export function errorMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err instanceof CliUsageError) return err.message;
  const tags: string[] = [];
  if (err instanceof LaunchKeyAPIException) {
    if (err.errorCode) tags.push(err.errorCode);
    if (err.statusCode !== null) tags.push(`HTTP ${err.statusCode}`);
  }
  const head = tags.length > 0 ? `${err.name} (${tags.join(', ')})` : err.name;
  const cause =
    err.cause instanceof Error && err.cause.message && err.cause.message !== err.message
      ? ` (${err.cause.message})`
      : '';
  return err.message ? `${head}: ${err.message}${cause}` : `${head}${cause}`;
}
