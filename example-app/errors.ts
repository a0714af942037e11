import type { NextFunction, Request, Response } from 'express';
import { sdk } from 'passport-truvalidate';
import { pageContext, sendPage, wantsJson } from './http';
import { errorPage } from './views/error';

/** An error of the example app with the HTTP status to answer and a message the user can read. */
export class ExampleAppError extends Error {
  /** Stable machine-readable code, e.g. `ERR_EXAMPLE_USERNAME_TAKEN`. */
  readonly code: string;

  /**
   * @param status HTTP status to answer
   * @param code stable code
   * @param message shown to the user
   */
  constructor(
    readonly status: number,
    code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ExampleAppError';
    this.code = code;
  }
}

/** Maps an error to the status and message the example answers with. */
export function describeError(error: unknown): { status: number; code: string; message: string } {
  if (error instanceof ExampleAppError) return { status: error.status, code: error.code, message: error.message };
  if (error instanceof sdk.EntityNotFound) {
    return { status: 404, code: error.code, message: 'Not found at TruValidate.' };
  }
  if (error instanceof sdk.LaunchKeyError) {
    // The SDK's message may name hosts and ports (ECONNREFUSED host:port): it goes to the server log only.
    return {
      status: 502,
      code: error.code,
      message: `TruValidate answered with an error (${error.code}); try again in a moment.`,
    };
  }
  if ((error as { code?: unknown }).code === 'ERR_TRUVALIDATE_API_UNAVAILABLE') {
    return {
      status: 502,
      code: 'ERR_TRUVALIDATE_API_UNAVAILABLE',
      message: 'TruValidate cannot be reached right now; no login was granted. Try again in a moment.',
    };
  }
  if ((error as { code?: unknown }).code === 'ERR_TRUVALIDATE_STORE_UNAVAILABLE') {
    return {
      status: 503,
      code: 'ERR_TRUVALIDATE_STORE_UNAVAILABLE',
      message: 'Logins are unavailable right now (the login store cannot be reached); try again in a moment.',
    };
  }
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, code: 'ERR_EXAMPLE_BAD_REQUEST', message: (error as Error).message };
  }
  return { status: 500, code: 'ERR_EXAMPLE_INTERNAL', message: 'Unexpected error; see the server log.' };
}

/** The app's last error handler: JSON `{ error, code }` or an error page. */
export function errorHandler(simulatorUrl: string | null, log: (line: string) => void) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const { status, code, message } = describeError(error);
    if (status >= 500) log(`${req.method} ${req.originalUrl}: ${(error as Error)?.stack ?? String(error)}`);
    if (res.headersSent) return;
    if (wantsJson(req)) {
      res.status(status).json({ error: message, code });
      return;
    }
    sendPage(res, errorPage(pageContext(req, simulatorUrl), status, message), status);
  };
}
