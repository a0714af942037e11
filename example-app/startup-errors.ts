/**
 * One-line start-up failures of `npm start`: each names what failed (a port, a file) and the environment variable
 * that changes it, so a newcomer knows what to do without reading a stack trace.
 */

/** A start-up failure with a one-line message meant for the console. */
export class StartupError extends Error {
  /** Stable code, e.g. `ERR_EXAMPLE_PORT_IN_USE`. */
  readonly code: string;

  /**
   * @param code stable code
   * @param message one line: what failed and which variable to change
   * @param cause the underlying error, when there is one
   */
  constructor(code: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'StartupError';
    this.code = code;
  }
}

/** What was trying to listen: shown in the message with the variable that moves it. */
export interface ListenTarget {
  /** "the example app" or "the emulator". */
  what: string;
  /** The variable choosing the port: `PORT` or `EMULATOR_PORT`. */
  portVariable: string;
  /** The variable choosing the address (`HOST`), or null when the address is fixed. */
  hostVariable: string | null;
  host: string;
  port: number;
}

/** Turns a `listen` error (EADDRINUSE, EACCES, EADDRNOTAVAIL, ...) into a {@link StartupError}. */
export function listenError(error: unknown, target: ListenTarget): StartupError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const { what, portVariable, host, port } = target;
  const free = port > 0 && port < 65535 ? port + 1 : 3001;
  if (code === 'EADDRINUSE') {
    return new StartupError(
      'ERR_EXAMPLE_PORT_IN_USE',
      `Port ${port} on ${host} is already in use, so ${what} cannot ` +
        `listen there. Stop what uses it, or set ${portVariable} to a free port (e.g. ${portVariable}=${free}).`,
      error,
    );
  }
  if (code === 'EACCES') {
    return new StartupError(
      'ERR_EXAMPLE_PORT_FORBIDDEN',
      `Not allowed to listen on port ${port} (${what}): ports ` +
        `below 1024 need privileges. Set ${portVariable} to a port above 1023 (e.g. ${portVariable}=${free}).`,
      error,
    );
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    const fix = target.hostVariable ? `Set ${target.hostVariable} to a local address such as 127.0.0.1.` : '';
    return new StartupError(
      'ERR_EXAMPLE_HOST_UNAVAILABLE',
      `${host} is not an address of this machine, so ${what} ` + `cannot listen on it. ${fix}`.trim(),
      error,
    );
  }
  return new StartupError(
    'ERR_EXAMPLE_LISTEN_FAILED',
    `${what} cannot listen on ${host}:${port} ` + `(${code ?? errorText(error)}). Set ${portVariable} to another port.`,
    error,
  );
}

/** Turns a file error (ENOENT, EACCES, EISDIR, ...) on `file`, named by `variable`, into a {@link StartupError}. */
export function fileError(error: unknown, variable: string, file: string, action = 'read'): StartupError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const why =
    code === 'ENOENT'
      ? 'it does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'ENOTDIR'
            ? 'a part of the path is not a directory'
            : (code ?? errorText(error));
  return new StartupError(
    'ERR_EXAMPLE_FILE',
    `Cannot ${action} ${file} (${variable}): ${why}. ` +
      `Set ${variable} to a ${action === 'read' ? 'readable' : 'writable'} path.`,
    error,
  );
}

/** The one line `npm start` prints for any start-up failure. */
export function startupMessage(error: unknown): string {
  const text = error instanceof StartupError ? error.message : errorText(error);
  return `Could not start the example app: ${text.replace(/\s*\n\s*/g, ' ')}`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
