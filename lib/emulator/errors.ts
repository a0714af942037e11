/** The typed errors of starting an emulator: each has a stable `code` and a message that says what to change. */

/** Codes of {@link EmulatorStartError} and {@link EmulatorOptionError}. */
export type EmulatorErrorCode =
  | 'ERR_TRUVALIDATE_EMULATOR_OPTION'
  | 'ERR_TRUVALIDATE_EMULATOR_PORT_IN_USE'
  | 'ERR_TRUVALIDATE_EMULATOR_LISTEN'
  | 'ERR_TRUVALIDATE_EMULATOR_DATA_DIR';

/** A bad option of `startEmulator` (e.g. `publicUrl`); the message says what is wrong. */
export class EmulatorOptionError extends Error {
  readonly code = 'ERR_TRUVALIDATE_EMULATOR_OPTION';
  constructor(message: string) {
    super(message);
    this.name = 'EmulatorOptionError';
  }
}

/**
 * The emulator could not start: its port is taken (`ERR_TRUVALIDATE_EMULATOR_PORT_IN_USE`), it may not listen
 * there (`ERR_TRUVALIDATE_EMULATOR_LISTEN`), or its data folder is unusable (`ERR_TRUVALIDATE_EMULATOR_DATA_DIR`).
 * `port` or `path` names what to change.
 */
export class EmulatorStartError extends Error {
  readonly code: Exclude<EmulatorErrorCode, 'ERR_TRUVALIDATE_EMULATOR_OPTION'>;
  /** The port asked for (listen errors). */
  readonly port: number | undefined;
  /** The folder or file that could not be used (data folder errors). */
  readonly path: string | undefined;

  constructor(
    code: EmulatorStartError['code'],
    message: string,
    details: { port?: number; path?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = 'EmulatorStartError';
    this.code = code;
    this.port = details.port;
    this.path = details.path;
  }
}

/** The start error for a failed `listen(port, host)`. */
export function listenError(err: unknown, port: number, host: string): EmulatorStartError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new EmulatorStartError('ERR_TRUVALIDATE_EMULATOR_PORT_IN_USE', `port ${port} on ${host} is already in use`, {
      port,
      cause: err,
    });
  }
  const reason = code === 'EACCES' ? 'permission denied' : (err as Error).message;
  return new EmulatorStartError('ERR_TRUVALIDATE_EMULATOR_LISTEN', `cannot listen on ${host} port ${port}: ${reason}`, {
    port,
    cause: err,
  });
}

/** The start error for a data folder (or a file in it) that cannot be read or written. */
export function dataDirError(err: unknown, path: string): EmulatorStartError {
  const e = err as NodeJS.ErrnoException;
  const reason =
    e.code === 'EACCES' || e.code === 'EPERM'
      ? 'permission denied'
      : e.code === 'ENOTDIR' || e.code === 'EEXIST'
        ? 'a file stands where a folder is needed'
        : e.message;
  return new EmulatorStartError('ERR_TRUVALIDATE_EMULATOR_DATA_DIR', `cannot use the data folder ${path}: ${reason}`, {
    path,
    cause: err,
  });
}
