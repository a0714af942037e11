import type { Request, Response } from 'express';
import type { SafeHtml } from './views/html';
import type { HomeUser } from './views/home';
import type { PageContext } from './views/layout';
import type { FormState } from './session-data';

/**
 * True when the client prefers JSON to HTML (`Accept: application/json`), the rule every route of the example
 * (and the strategy) uses to choose between a JSON answer and an HTML page.
 */
export function wantsJson(req: Request): boolean {
  return req.accepts(['html', 'json']) === 'json';
}

/**
 * True when the client explicitly prefers an HTML page (a browser navigation sends `Accept: text/html,...`); a
 * client sending no `Accept` or `*\/*` (curl, scripts) is not: the routes that used to be JSON-only (`/me`, unknown
 * paths) keep answering it JSON.
 */
export function prefersHtml(req: Request): boolean {
  return req.accepts(['json', 'html']) === 'html';
}

/** The signed-in user of the request (Passport's `req.user`), or null. */
export function currentUser(req: Request): HomeUser | null {
  const user = req.user as HomeUser | undefined;
  return user && typeof user.username === 'string' ? user : null;
}

/** Sends a page as HTML with the given status (unless told: the status already set, 200 by default). */
export function sendPage(res: Response, page: SafeHtml, status?: number): void {
  if (status !== undefined) res.status(status);
  res.type('html').send(page.value);
}

/** Builds the page context from the request (the signed-in user, a one-time notice) and the app config. */
export function pageContext(req: Request, simulatorUrl: string | null, notice?: string | null): PageContext {
  const fromSession = takeNotice(req);
  return { username: currentUser(req)?.username ?? null, simulatorUrl, notice: notice ?? fromSession };
}

/** Keeps a one-line notice in the session for the next page ("flash" message). */
export function setNotice(req: Request, notice: string): void {
  if (req.session) req.session.notice = notice;
}

function takeNotice(req: Request): string | null {
  const notice = req.session?.notice;
  if (!notice) return null;
  delete req.session.notice;
  return notice;
}

/**
 * POST-redirect-GET: keeps `state` (error, refill, status) for the page at `path` and redirects there with 303, so
 * that a reload of the page repeats nothing.
 */
export function redirectWithForm(req: Request, res: Response, path: string, state: FormState): void {
  req.session.formState = state;
  res.redirect(303, path);
}

/**
 * The state a form post left for `form` (taken: shown once), or null. Sets the page's status and, over a limit,
 * `Retry-After` on `res`.
 */
export function takeForm(req: Request, res: Response, form: string): FormState | null {
  const state = req.session?.formState;
  if (!state || state.form !== form) return null;
  delete req.session.formState;
  res.status(state.status);
  if (state.retryAt !== undefined)
    res.set('Retry-After', String(Math.max(1, Math.ceil((state.retryAt - Date.now()) / 1000))));
  return state;
}

/** A text field of a JSON or form body, trimmed; null when missing, empty or not a string. */
export function bodyField(req: Request, name: string): string | null {
  const body = req.body as Record<string, unknown> | undefined;
  const value = body?.[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** Usernames the example accepts: 1-64 letters, digits, `.`, `_`, `-`, `@`. */
export const USERNAME_PATTERN = /^[A-Za-z0-9._@-]{1,64}$/;
