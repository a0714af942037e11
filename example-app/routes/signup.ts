import express, { type Request, type Response, type Router } from 'express';
import { holdsName } from '../accounts';
import type { AppDeps } from '../deps';
import { ExampleAppError } from '../errors';
import { pageContext, redirectWithForm, sendPage, setNotice, takeForm, USERNAME_PATTERN, wantsJson } from '../http';
import { signupPage } from '../views/link';
import { linkStatus, requireDirectory, unlinkQuietly } from './link-status';
import { showLinkPage, startDeviceLink } from './start-link';

/**
 * Sign up: `GET /signup` (form), `POST /signup` (`username`: a free name starts linking its first device and
 * answers 201 `{ code, qrcode }`, or redirects (303) a browser to `GET /signup/link`, the QR page; a taken name is
 * 409, a bad one 400), `GET /signup/status` (`{ status: 'pending' | 'linked' | 'expired' | 'gone' }` for this
 * browser's pending link; 404 `{ status: 'none' }` when there is none).
 *
 * Names (normalised by `deps.normalizeUsername`: `Alice` and `alice` are one account) are taken by the accounts
 * (`accounts.ts`): from the start of a sign-up until its link code expires, and from the first linked device until
 * the account is deleted on purpose. The browser session that started a sign-up may start it again (its pending
 * device is replaced). A name the app does not know but the directory has a linked device for is taken too (a user
 * linked outside the app); leftover unlinked devices of an abandoned sign-up are removed when the name is reused.
 */
export function signupRoutes(deps: AppDeps): Router {
  const router = express.Router();
  const claiming = new Set<string>();

  router.get('/signup', (req, res) => {
    const form = takeForm(req, res, 'signup');
    sendPage(
      res,
      signupPage(pageContext(req, deps.simulatorUrl), { username: form?.username ?? '', error: form?.error ?? null }),
    );
  });

  router.post('/signup', async (req: Request, res: Response) => {
    const body = req.body as Record<string, unknown> | undefined;
    const raw = typeof body?.['username'] === 'string' ? body['username'] : '';
    const username = deps.normalizeUsername(raw);
    const refuse = (error: ExampleAppError): void => {
      if (wantsJson(req)) throw error;
      redirectWithForm(req, res, '/signup', {
        form: 'signup',
        error: error.message,
        username: raw.trim(),
        status: error.status,
      });
    };
    if (!USERNAME_PATTERN.test(username)) {
      refuse(
        new ExampleAppError(
          400,
          'ERR_EXAMPLE_BAD_USERNAME',
          'Choose a username of 1 to 64 letters, digits, ".", "_", "-" or "@".',
        ),
      );
      return;
    }
    const directory = requireDirectory(deps);
    if (claiming.has(username)) {
      refuse(usernameTaken(username));
      return;
    }
    claiming.add(username);
    try {
      const account = await deps.accounts.get(username);
      const own = req.session.exampleLink;
      if (holdsName(account)) {
        // The browser that started this sign-up may start it again (a lost page, a new code); anyone else may not.
        const restart =
          account?.state === 'pending' &&
          own?.purpose === 'signup' &&
          own.username === username &&
          own.deviceId === account.deviceId;
        if (!restart || !own) {
          refuse(usernameTaken(username));
          return;
        }
        await unlinkQuietly(directory, username, own.deviceId);
      } else {
        const devices = await directory.getLinkedDevices(username);
        if (devices.some((d) => d.status.statusCode !== 'LINK_PENDING')) {
          // Linked outside the app (or before its accounts were kept): the name belongs to that user.
          await deps.accounts.put({
            username,
            state: 'linked',
            linkExpiresAt: null,
            deviceId: null,
            totp: false,
            createdAt: Date.now(),
          });
          refuse(usernameTaken(username));
          return;
        }
        for (const stale of devices) await unlinkQuietly(directory, username, stale.id);
      }
      const link = await startDeviceLink(deps, req, username, 'signup');
      await deps.accounts.put({
        username,
        state: 'pending',
        linkExpiresAt: link.expiresAt,
        deviceId: link.deviceId,
        totp: false,
        createdAt: Date.now(),
      });
      if (wantsJson(req)) {
        res.status(201).json({ code: link.code, qrcode: link.qrcode });
        return;
      }
      res.redirect(303, '/signup/link');
    } finally {
      claiming.delete(username);
    }
  });

  router.get('/signup/link', async (req: Request, res: Response) => {
    const link = req.session.exampleLink;
    if (link?.purpose !== 'signup') {
      setNotice(req, 'No sign-up is waiting for a phone in this browser. Start one here.');
      res.redirect(303, '/signup');
      return;
    }
    await showLinkPage(deps, req, res, link, {
      title: 'Link your phone',
      statusUrl: '/signup/status',
      next: `/login?username=${encodeURIComponent(link.username)}`,
    });
  });

  router.get('/signup/status', async (req: Request, res: Response) => {
    const link = req.session.exampleLink;
    if (link?.purpose !== 'signup') {
      res.status(404).json({ status: 'none', error: 'No device link is pending in this browser.' });
      return;
    }
    const status = await linkStatus(deps, link);
    if (status !== 'pending') delete req.session.exampleLink;
    if (status === 'linked') {
      const account = await deps.accounts.get(link.username);
      await deps.accounts.put({
        username: link.username,
        state: 'linked',
        linkExpiresAt: null,
        deviceId: null,
        totp: account?.totp ?? false,
        createdAt: account?.createdAt ?? Date.now(),
      });
      setNotice(req, `Your phone is linked to ${link.username}. Log in to try it.`);
    }
    res.json({ status, username: link.username, ...(status === 'expired' ? { error: LINK_EXPIRED } : {}) });
  });

  return router;
}

/** What the link page says when its code expired. */
export const LINK_EXPIRED = 'The linking code expired before a phone used it. Start again for a new code.';

/** 409 `ERR_EXAMPLE_USERNAME_TAKEN`: the JSON answer (through the error handler) and the form's error line. */
function usernameTaken(username: string): ExampleAppError {
  return new ExampleAppError(409, 'ERR_EXAMPLE_USERNAME_TAKEN', `The username "${username}" is taken.`);
}
