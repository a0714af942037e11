import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { sdk } from 'passport-truvalidate';
import type { AppDeps } from '../deps';
import { ExampleAppError } from '../errors';
import { currentUser, pageContext, redirectWithForm, sendPage, setNotice, takeForm, wantsJson } from '../http';
import { accountPage } from '../views/account';
import { requireDirectory, unlinkQuietly } from './link-status';
import { requireUser } from './require-user';

/**
 * The account of the signed-in user: `GET /account` (page), `POST /account/delete` (`confirm` = the username:
 * unlinks every device, removes TOTP, deletes the account so the name is free again, and logs out, which ends the
 * TruValidate session and so every other browser's session of the user: 200 `{ deleted: true }`, or a redirect to
 * the home page; 400 `ERR_EXAMPLE_CONFIRMATION` when `confirm` is not the username).
 */
export function accountRoutes(deps: AppDeps): Router {
  const router = express.Router();
  router.use('/account', requireUser);

  router.get('/account', (req, res) => {
    const form = takeForm(req, res, 'account');
    sendPage(res, accountPage(pageContext(req, deps.simulatorUrl), { error: form?.error ?? null }));
  });

  router.post('/account/delete', async (req: Request, res: Response, next: NextFunction) => {
    const username = currentUser(req)!.username;
    const body = req.body as Record<string, unknown> | undefined;
    const confirm = typeof body?.['confirm'] === 'string' ? deps.normalizeUsername(body['confirm']) : '';
    if (confirm !== username) {
      const error = new ExampleAppError(
        400,
        'ERR_EXAMPLE_CONFIRMATION',
        `To delete the account, type its username (${username}) in the confirmation field.`,
      );
      if (wantsJson(req)) throw error;
      redirectWithForm(req, res, '/account', { form: 'account', error: error.message, status: error.status });
      return;
    }
    const directory = requireDirectory(deps);
    for (const device of await directory.getLinkedDevices(username))
      await unlinkQuietly(directory, username, device.id);
    try {
      await directory.removeUserTotp(username);
    } catch (error) {
      if (!(error instanceof sdk.EntityNotFound)) throw error;
    }
    await deps.accounts.delete(username);
    req.logout((err) => {
      if (err) {
        next(err);
        return;
      }
      if (wantsJson(req)) {
        res.json({ deleted: true, username });
        return;
      }
      setNotice(req, `The account ${username} is deleted; the name is free again.`);
      res.redirect(303, '/');
    });
  });

  return router;
}
