/** Reading the username and OTP fields of a request, and choosing JSON or a redirect for the answer. */
import type { Request } from 'express';

/** Longest username accepted (longer ones fail as invalid input, before any API call). */
export const MAX_USERNAME_LENGTH = 256;

/**
 * The string value of `field` from the parsed request body (JSON or form), as sent; undefined when absent or not
 * a string. The query string is not read: a push must never be triggered by a plain link or image.
 */
export function readRawField(req: Request, field: string): string | undefined {
  const body = (req as { body?: unknown }).body;
  const value = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** {@link readRawField}, trimmed; undefined when empty. */
export function readField(req: Request, field: string): string | undefined {
  const trimmed = readRawField(req, field)?.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** True when the client prefers JSON to HTML (`Accept: application/json`, `fetch` with JSON). */
export function wantsJson(req: Request): boolean {
  const accepts = (req as { accepts?: (types: string[]) => string | false }).accepts;
  if (typeof accepts === 'function') return accepts.call(req, ['html', 'json']) === 'json';
  const header = req.headers.accept ?? '';
  return /json/i.test(header) && !/text\/html/i.test(header);
}
