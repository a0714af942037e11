import express, { type Router } from 'express';
import type { AppDeps } from '../deps';
import { currentUser, pageContext, sendPage, wantsJson } from '../http';
import { homeSignedIn, homeSignedOut } from '../views/home';
import { APP_CSS } from '../views/style';

/** `GET /` (home page: who, how they logged in, the auth methods the phone used), `GET /me`, `GET /app.css`. */
export function pageRoutes(deps: AppDeps): Router {
  const router = express.Router();

  router.get('/app.css', (_req, res) => {
    res.type('css').set('Cache-Control', 'public, max-age=300').send(APP_CSS);
  });

  router.get('/', (req, res) => {
    const user = currentUser(req);
    if (wantsJson(req)) {
      res.json({ user });
      return;
    }
    const ctx = pageContext(req, deps.simulatorUrl);
    sendPage(res, user ? homeSignedIn(ctx, user) : homeSignedOut(ctx));
  });

  /** `GET /me`: 200 with the signed-in user, 401 otherwise (always JSON). */
  router.get('/me', (req, res) => {
    const user = currentUser(req);
    if (!user) {
      res.status(401).json({ error: 'Not logged in.', code: 'ERR_EXAMPLE_NOT_LOGGED_IN' });
      return;
    }
    res.json(user);
  });

  return router;
}
