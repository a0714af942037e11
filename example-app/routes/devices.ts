import express, { type Request, type Response, type Router } from 'express';
import type { AppDeps } from '../deps';
import { ExampleAppError } from '../errors';
import { currentUser, pageContext, redirectWithForm, sendPage, setNotice, takeForm, wantsJson } from '../http';
import { devicesPage } from '../views/devices';
import { deviceStatusLabel, linkStatus, requireDirectory } from './link-status';
import { requireUser } from './require-user';
import { showLinkPage, startDeviceLink } from './start-link';

/**
 * Devices of the signed-in user: `GET /devices` (`{ devices: [{ id, name, type, status, statusCode, active }] }`,
 * statusCode `LINKED` etc., or the page), `POST /devices/link` (links another device: 201 `{ code, qrcode }`, or a
 * redirect (303) to `GET /devices/link`, the QR page), `GET /devices/link/status` (`{ status }` of that link),
 * `POST /devices/:id/unlink` and `DELETE /devices/:id` (204, or back to the page; 404 for an unknown device; 409
 * `ERR_EXAMPLE_LAST_DEVICE` for the last linked device: deleting the account is the way to give it up).
 */
export function deviceRoutes(deps: AppDeps): Router {
  const router = express.Router();
  router.use('/devices', requireUser);

  router.get('/devices', async (req: Request, res: Response) => {
    const username = currentUser(req)!.username;
    const form = takeForm(req, res, 'devices');
    const devices = await requireDirectory(deps).getLinkedDevices(username);
    const list = devices.map((d) => ({
      id: d.id,
      name: d.name ?? 'Unnamed device',
      type: d.type ?? 'unknown',
      status: deviceStatusLabel(d.status.statusCode),
      statusCode: d.status.statusCode,
      active: d.status.isActive,
    }));
    if (wantsJson(req)) {
      res.json({ devices: list });
      return;
    }
    sendPage(res, devicesPage(pageContext(req, deps.simulatorUrl), list, form?.error ?? null));
  });

  router.post('/devices/link', async (req: Request, res: Response) => {
    const link = await startDeviceLink(deps, req, currentUser(req)!.username, 'device');
    if (wantsJson(req)) {
      res.status(201).json({ code: link.code, qrcode: link.qrcode });
      return;
    }
    res.redirect(303, '/devices/link');
  });

  router.get('/devices/link', async (req: Request, res: Response) => {
    const link = req.session.exampleLink;
    if (link?.purpose !== 'device' || link.username !== currentUser(req)!.username) {
      res.redirect(303, '/devices');
      return;
    }
    await showLinkPage(deps, req, res, link, {
      title: 'Link another device',
      statusUrl: '/devices/link/status',
      next: '/devices',
    });
  });

  router.get('/devices/link/status', async (req: Request, res: Response) => {
    const link = req.session.exampleLink;
    if (link?.purpose !== 'device' || link.username !== currentUser(req)!.username) {
      res.status(404).json({ status: 'none', error: 'No device link is pending in this browser.' });
      return;
    }
    const status = await linkStatus(deps, link);
    if (status !== 'pending') delete req.session.exampleLink;
    if (status === 'linked') setNotice(req, 'Device linked.');
    res.json({ status });
  });

  const unlink = async (req: Request, res: Response): Promise<void> => {
    const username = currentUser(req)!.username;
    const deviceId = String(req.params['id']);
    const directory = requireDirectory(deps);
    const devices = await directory.getLinkedDevices(username);
    const device = devices.find((d) => d.id === deviceId);
    if (!device) throw new ExampleAppError(404, 'ERR_EXAMPLE_NO_SUCH_DEVICE', 'No such device.');
    const othersLinked = devices.some((d) => d.id !== deviceId && d.status.statusCode === 'LINKED');
    if (device.status.statusCode === 'LINKED' && !othersLinked) {
      const error = new ExampleAppError(
        409,
        'ERR_EXAMPLE_LAST_DEVICE',
        'This is your only linked device: without it ' +
          'you could not log in with a push. Link another device first, or delete your account (Account page).',
      );
      if (wantsJson(req)) throw error;
      redirectWithForm(req, res, '/devices', { form: 'devices', error: error.message, status: error.status });
      return;
    }
    await directory.unlinkDevice(username, deviceId);
    if (wantsJson(req)) {
      res.status(204).end();
      return;
    }
    setNotice(req, 'Device unlinked.');
    res.redirect(303, '/devices');
  };
  router.post('/devices/:id/unlink', unlink);
  router.delete('/devices/:id', unlink);

  return router;
}
