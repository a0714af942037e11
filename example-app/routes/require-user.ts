import type { NextFunction, Request, Response } from 'express';
import { currentUser, setNotice, wantsJson } from '../http';

/**
 * Lets signed-in requests through; answers 401 JSON, or redirects pages to the login page after remembering the
 * page in `returnTo` (the strategy keeps it across the login and the waiting page goes back there).
 */
export function requireUser(req: Request, res: Response, next: NextFunction): void {
  if (currentUser(req)) {
    next();
    return;
  }
  if (wantsJson(req)) {
    res.status(401).json({ error: 'Not logged in.', code: 'ERR_EXAMPLE_NOT_LOGGED_IN' });
    return;
  }
  if (!req.session.notice) setNotice(req, 'Log in first.');
  if (req.method === 'GET') (req.session as { returnTo?: string }).returnTo = req.originalUrl;
  res.redirect(303, '/login');
}
