/** The typed errors of the Passport layer. SDK errors (`passport-truvalidate/sdk`) are kept as their `cause`. */

/** Stable codes of {@link TruValidateStrategyError}. */
export type TruValidateStrategyErrorCode =
  /** An option given to the strategy or one of its helpers is invalid (thrown at construction). */
  | 'ERR_TRUVALIDATE_INVALID_OPTION'
  /** The TruValidate API cannot be reached or answered unexpectedly: no login is granted (fail closed). */
  | 'ERR_TRUVALIDATE_API_UNAVAILABLE'
  /** The store rejected an operation (e.g. Redis unreachable): no login is granted (fail closed). */
  | 'ERR_TRUVALIDATE_STORE_UNAVAILABLE'
  /** The app is not set up as the strategy needs (no `express-session`, no `passport.initialize()`). */
  | 'ERR_TRUVALIDATE_SETUP';

/** An error of the strategy, with a stable `code` to switch on and the underlying error as `cause`. */
export class TruValidateStrategyError extends Error {
  /** Stable machine-readable code. */
  readonly code: TruValidateStrategyErrorCode;
  /** HTTP status an app may answer with (500 setup, 502 API, 503 store, 500 options). */
  readonly status: number;

  constructor(code: TruValidateStrategyErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TruValidateStrategyError';
    this.code = code;
    this.status =
      code === 'ERR_TRUVALIDATE_API_UNAVAILABLE' ? 502 : code === 'ERR_TRUVALIDATE_STORE_UNAVAILABLE' ? 503 : 500;
  }
}

/** Shorthand for an invalid option. */
export function invalidOption(message: string): TruValidateStrategyError {
  return new TruValidateStrategyError('ERR_TRUVALIDATE_INVALID_OPTION', message);
}

/**
 * A positive integer option: `fallback` when undefined, else the value; throws {@link invalidOption}
 * (`<label> must be a positive integer, got <value>`) for anything else. `label` names the option with its owner,
 * e.g. `'MemoryStore: maxEntries'`.
 */
export function positiveIntegerOption(value: unknown, label: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
    throw invalidOption(`${label} must be a positive integer, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * Wraps an error of an SDK call (fail closed). The message is generic (it may reach the browser); the detail
 * (e.g. `ECONNREFUSED host:port`) stays in `cause`, for logs.
 */
export function apiUnavailable(what: string, err: unknown): TruValidateStrategyError {
  if (err instanceof TruValidateStrategyError) return err;
  return new TruValidateStrategyError(
    'ERR_TRUVALIDATE_API_UNAVAILABLE',
    `TruValidate ${what} failed, no login was granted.`,
    { cause: err },
  );
}

/** Wraps an error of a store call (fail closed); generic message, the detail in `cause`. */
export function storeUnavailable(what: string, err: unknown): TruValidateStrategyError {
  if (err instanceof TruValidateStrategyError) return err;
  return new TruValidateStrategyError(
    'ERR_TRUVALIDATE_STORE_UNAVAILABLE',
    `The TruValidate store failed (${what}), no login was granted.`,
    { cause: err },
  );
}

/** Runs one store call, turning its failure into {@link storeUnavailable} (`what` names the call in the message). */
export async function fromStore<T>(what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw storeUnavailable(what, err);
  }
}
