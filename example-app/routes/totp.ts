import express, { type Request, type Response, type Router } from 'express';
import type { AppDeps } from '../deps';
import { ExampleAppError } from '../errors';
import { currentUser, pageContext, redirectWithForm, sendPage, takeForm, wantsJson } from '../http';
import { otpauthUri, qrDataUrl } from '../qr';
import { totpPage } from '../views/totp';
import { requireDirectory } from './link-status';
import { requireUser } from './require-user';

/**
 * TOTP set-up for the signed-in user: `GET /totp` (page: "Set up TOTP" or "Remove TOTP", whichever applies, and
 * the secret just generated, once), `POST /totp/setup` (creates the secret: 201 `{ uri, secret, algorithm, digits,
 * period }`, or a redirect (303) to the page; 409 `ERR_EXAMPLE_TOTP_EXISTS` when one is set up already, so a
 * repeated post never replaces it), `POST /totp/remove` (204, or a redirect to the page).
 */
export function totpRoutes(deps: AppDeps): Router {
  const router = express.Router();
  router.use('/totp', requireUser);

  const setTotp = async (username: string, totp: boolean): Promise<void> => {
    const account = await deps.accounts.get(username);
    await deps.accounts.put({
      username,
      state: 'linked',
      linkExpiresAt: null,
      deviceId: null,
      createdAt: Date.now(),
      ...account,
      totp,
    });
  };

  router.get('/totp', async (req: Request, res: Response) => {
    const username = currentUser(req)!.username;
    const form = takeForm(req, res, 'totp');
    const fresh = req.session.freshTotp ?? null;
    delete req.session.freshTotp;
    const enabled = (await deps.accounts.get(username))?.totp ?? false;
    sendPage(
      res,
      totpPage(pageContext(req, deps.simulatorUrl), {
        enabled,
        fresh: fresh ? { ...fresh, qrDataUrl: await qrDataUrl(fresh.uri) } : null,
        message: form?.message ?? null,
        error: form?.error ?? null,
      }),
    );
  });

  router.post('/totp/setup', async (req: Request, res: Response) => {
    const username = currentUser(req)!.username;
    if ((await deps.accounts.get(username))?.totp) {
      const error = new ExampleAppError(
        409,
        'ERR_EXAMPLE_TOTP_EXISTS',
        'TOTP is already set up. To get a new secret, remove it first.',
      );
      if (wantsJson(req)) throw error;
      redirectWithForm(req, res, '/totp', { form: 'totp', error: error.message, status: error.status });
      return;
    }
    const totp = await requireDirectory(deps).generateUserTotp(username);
    await setTotp(username, true);
    const uri = otpauthUri(deps.totpIssuer, username, totp);
    const view = { uri, secret: totp.secret, algorithm: totp.algorithm, digits: totp.digits, period: totp.period };
    if (wantsJson(req)) {
      res.status(201).json(view);
      return;
    }
    req.session.freshTotp = view;
    redirectWithForm(req, res, '/totp', { form: 'totp', error: null, message: 'TOTP is set up.', status: 200 });
  });

  router.post('/totp/remove', async (req: Request, res: Response) => {
    const username = currentUser(req)!.username;
    await requireDirectory(deps).removeUserTotp(username);
    await setTotp(username, false);
    if (wantsJson(req)) {
      res.status(204).end();
      return;
    }
    redirectWithForm(req, res, '/totp', { form: 'totp', error: null, message: 'TOTP removed.', status: 200 });
  });

  return router;
}
