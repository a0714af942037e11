import express, { type Request, type Response, type Router } from 'express';
import type { AppDeps } from '../deps';
import { currentUser, pageContext, prefersHtml, sendPage, wantsJson } from '../http';
import { errorPage } from '../views/error';
import { homeSignedIn, homeSignedOut } from '../views/home';
import { requireUser } from './require-user';

/**
 * `GET /` (home page: who, how they logged in, the auth methods the phone used) and `GET /me` (200 with the
 * signed-in user as JSON; without a session, 401 JSON, or for a browser navigation a redirect to the login page that
 * comes back to `/me` afterwards).
 */
export function pageRoutes(deps: AppDeps): Router {
  const router = express.Router();

  router.get('/', (req, res) => {
    const user = currentUser(req);
    if (wantsJson(req)) {
      res.json({ user });
      return;
    }
    const ctx = pageContext(req, deps.simulatorUrl);
    sendPage(res, user ? homeSignedIn(ctx, user) : homeSignedOut(ctx));
  });

  router.get('/me', (req, res, next) => {
    if (!currentUser(req) && prefersHtml(req)) {
      requireUser(req, res, next);
      return;
    }
    const user = currentUser(req);
    if (!user) {
      res.status(401).json({ error: 'Not logged in.', code: 'ERR_EXAMPLE_NOT_LOGGED_IN' });
      return;
    }
    res.json(user);
  });

  return router;
}

/** The last route: 404, as a page for browsers and as JSON `{ error, code: 'ERR_EXAMPLE_NOT_FOUND' }` otherwise. */
export function notFound(deps: AppDeps) {
  return (req: Request, res: Response): void => {
    const message = `There is no page at ${req.path}.`;
    if (!prefersHtml(req)) {
      res.status(404).json({ error: message, code: 'ERR_EXAMPLE_NOT_FOUND' });
      return;
    }
    sendPage(res, errorPage(pageContext(req, deps.simulatorUrl), 404, message), 404);
  };
}
