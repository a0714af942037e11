import express, { type Request, type Response, type Router } from 'express';
import type { AppDeps } from '../deps';
import { ExampleAppError } from '../errors';
import { bodyField, pageContext, sendPage, setNotice, USERNAME_PATTERN, wantsJson } from '../http';
import { signupPage } from '../views/link';
import { linkStatus, requireDirectory } from './link-status';
import { startDeviceLink } from './start-link';

/**
 * Sign up: `GET /signup` (form), `POST /signup` (`username`: a free name starts linking its first device and
 * answers `{ code, qrcode }` or the QR page; a taken name is 409), `GET /signup/status` (`{ status: 'pending' |
 * 'linked' | 'gone' }` for this browser's pending link; 404 `{ status: 'none' }` when there is none).
 * A name is taken when the directory already has a device for it (linked or pending), except for the browser
 * session that started that sign up: it may start again (its pending device is replaced).
 */
export function signupRoutes(deps: AppDeps): Router {
  const router = express.Router();
  const claiming = new Set<string>();

  router.get('/signup', (req, res) => {
    sendPage(res, signupPage(pageContext(req, deps.simulatorUrl)));
  });

  router.post('/signup', async (req: Request, res: Response) => {
    const username = bodyField(req, 'username');
    if (!username || !USERNAME_PATTERN.test(username)) {
      const message = 'Choose a username of 1 to 64 letters, digits, ".", "_", "-" or "@".';
      if (wantsJson(req)) {
        res.status(400).json({ error: message, code: 'ERR_EXAMPLE_BAD_USERNAME' });
        return;
      }
      sendPage(res, signupPage(pageContext(req, deps.simulatorUrl), { username: username ?? '', error: message }), 400);
      return;
    }
    const directory = requireDirectory(deps);
    const key = username.toLowerCase();
    if (claiming.has(key)) throw usernameTaken(username);
    claiming.add(key);
    try {
      const devices = await directory.getLinkedDevices(username);
      // The browser that started this sign up may start it again (a lost page, an expired code): its pending
      // device is replaced. Anyone else finds the name taken.
      const own = req.session.exampleLink;
      const restart = own?.purpose === 'signup' && own.username === username && devices.length > 0
        && devices.every((d) => d.id === own.deviceId && d.status.statusCode === 'LINK_PENDING');
      if (restart) await directory.unlinkDevice(username, own.deviceId);
      else if (devices.length > 0) {
        const taken = usernameTaken(username);
        if (wantsJson(req)) throw taken;
        sendPage(res, signupPage(pageContext(req, deps.simulatorUrl), { username, error: taken.message }), taken.status);
        return;
      }
      await startDeviceLink(deps, req, res, username, {
        purpose: 'signup',
        title: 'Link your phone',
        statusUrl: '/signup/status',
        next: `/login?username=${encodeURIComponent(username)}`,
      });
    } finally {
      claiming.delete(key);
    }
  });

  router.get('/signup/status', async (req: Request, res: Response) => {
    const link = req.session.exampleLink;
    if (!link) {
      res.status(404).json({ status: 'none', error: 'No device link is pending in this browser.' });
      return;
    }
    const status = await linkStatus(deps, link);
    if (status !== 'pending') delete req.session.exampleLink;
    if (status === 'linked') setNotice(req, `Your phone is linked to ${link.username}. Log in to try it.`);
    res.json({ status, username: link.username });
  });

  return router;
}

/** 409 `ERR_EXAMPLE_USERNAME_TAKEN`: the JSON answer (through the error handler) and the form's error line. */
function usernameTaken(username: string): ExampleAppError {
  return new ExampleAppError(409, 'ERR_EXAMPLE_USERNAME_TAKEN', `The username "${username}" is taken.`);
}
