import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * The browser hardening of every answer (`helmet`): a Content-Security-Policy without inline script (the pages'
 * scripts are served files under `/js/`; their data travels in `<script type="application/json">` blocks, which a
 * browser never runs), `X-Content-Type-Options: nosniff`, framing refused (`frame-ancestors 'none'` and
 * `X-Frame-Options: DENY`), `Referrer-Policy: same-origin`; HSTS and `upgrade-insecure-requests` only when the
 * app is served over https (`https` true), since on plain http (the local walkthrough) they would break it.
 */
export function securityHeaders(https: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        // QR codes are PNG data URLs.
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'base-uri': ["'none'"],
        'object-src': ["'none'"],
        ...(https ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    // Not `no-referrer`: with it, Chromium sends `Origin: null` on the app's own form posts, which the cross-site
    // rule must refuse. `same-origin` keeps URLs from other sites and the real Origin on the app's own posts.
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: https ? { maxAge: 15_552_000 } : false,
  });
}

/**
 * `Cache-Control: no-store` on every answer (pages and JSON show account data: `/`, `/me`, devices, TOTP, the
 * waiting page), so neither the browser's back button after a logout nor a shared cache shows them; the static
 * assets (`/app.css`, `/js/*`, the favicon) set their own caching after it.
 */
export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.set('Cache-Control', 'no-store');
  next();
}
