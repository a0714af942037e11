import express, { type Request, type Response, type Router } from 'express';
import type { AppDeps } from '../deps';
import { currentUser, pageContext, sendPage, wantsJson } from '../http';
import { otpauthUri, qrDataUrl } from '../qr';
import { totpPage } from '../views/totp';
import { requireDirectory } from './link-status';
import { requireUser } from './require-user';

/**
 * TOTP setup for the signed-in user: `GET /totp` (page), `POST /totp/setup` (creates or replaces the secret:
 * `{ uri, secret, algorithm, digits, period }` or the page with the QR code of the `otpauth://` URI),
 * `POST /totp/remove` (204 or the page).
 */
export function totpRoutes(deps: AppDeps): Router {
  const router = express.Router();
  router.use('/totp', requireUser);

  router.get('/totp', (req, res) => {
    sendPage(res, totpPage(pageContext(req, deps.simulatorUrl), null));
  });

  router.post('/totp/setup', async (req: Request, res: Response) => {
    const username = currentUser(req)!.username;
    const totp = await requireDirectory(deps).generateUserTotp(username);
    const uri = otpauthUri(deps.totpIssuer, username, totp);
    const view = { uri, secret: totp.secret, algorithm: totp.algorithm, digits: totp.digits, period: totp.period };
    if (wantsJson(req)) {
      res.status(201).json(view);
      return;
    }
    sendPage(res, totpPage(pageContext(req, deps.simulatorUrl), { ...view, qrDataUrl: await qrDataUrl(uri) },
      { message: 'TOTP is set up.' }), 201);
  });

  router.post('/totp/remove', async (req: Request, res: Response) => {
    await requireDirectory(deps).removeUserTotp(currentUser(req)!.username);
    if (wantsJson(req)) {
      res.status(204).end();
      return;
    }
    sendPage(res, totpPage(pageContext(req, deps.simulatorUrl), null, { message: 'TOTP removed.' }));
  });

  return router;
}
