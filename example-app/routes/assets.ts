import express, { type Router } from 'express';
import { LINK_SCRIPT } from '../views/link';
import { WAITING_SCRIPT } from '../views/login';
import { APP_CSS } from '../views/style';

/** The favicon: a small SVG (a shield with a check mark), served for `/favicon.ico` and `/favicon.svg`. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<path d="M16 2 4 6v9c0 7.5 5.1 13.2 12 15 6.9-1.8 12-7.5 12-15V6z" fill="#1f6feb"/>
<path d="m10 16 4 4 8-9" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/>
</svg>
`;

/** The pages' own scripts, served as files so that the Content-Security-Policy needs no inline script. */
const SCRIPTS: Readonly<Record<string, string>> = { 'waiting.js': WAITING_SCRIPT, 'link.js': LINK_SCRIPT };

/**
 * Static assets, cacheable for 5 minutes: `GET /app.css`, `GET /js/waiting.js` (the waiting page's status loop),
 * `GET /js/link.js` (the link page's status loop), `GET /favicon.ico` and `GET /favicon.svg` (SVG).
 */
export function assetRoutes(): Router {
  const router = express.Router();
  const cacheable = 'public, max-age=300';

  router.get('/app.css', (_req, res) => {
    res.type('css').set('Cache-Control', cacheable).send(APP_CSS);
  });
  router.get('/js/:name', (req, res, next) => {
    const script = Object.hasOwn(SCRIPTS, req.params['name'] ?? '') ? SCRIPTS[req.params['name'] ?? ''] : undefined;
    if (script === undefined) {
      next();
      return;
    }
    res.type('js').set('Cache-Control', cacheable).send(script);
  });
  router.get(['/favicon.ico', '/favicon.svg'], (_req, res) => {
    res.type('image/svg+xml').set('Cache-Control', cacheable).send(FAVICON_SVG);
  });
  return router;
}
