import type { NextFunction, Request, Response } from 'express';
import { currentUser, setNotice, wantsJson } from '../http';

/** Lets signed-in requests through; answers 401 JSON or redirects to the login page otherwise. */
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
  res.redirect(303, '/login');
}
