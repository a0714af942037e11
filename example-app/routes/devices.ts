import express, { type Request, type Response, type Router } from 'express';
import type { AppDeps } from '../deps';
import { currentUser, pageContext, sendPage, setNotice, wantsJson } from '../http';
import { devicesPage } from '../views/devices';
import { deviceStatusLabel, linkStatus, requireDirectory } from './link-status';
import { requireUser } from './require-user';
import { startDeviceLink } from './start-link';

/**
 * Devices of the signed-in user: `GET /devices` (`{ devices: [{ id, name, type, status, statusCode, active }] }`, statusCode `LINKED` etc.
 * or the page), `POST /devices/link` (links another device: `{ code, qrcode }` or the QR page),
 * `GET /devices/link/status` (`{ status }` of that link), `POST /devices/:id/unlink` and `DELETE /devices/:id`
 * (204 or back to the page; 404 for an unknown device).
 */
export function deviceRoutes(deps: AppDeps): Router {
  const router = express.Router();
  router.use('/devices', requireUser);

  router.get('/devices', async (req: Request, res: Response) => {
    const username = currentUser(req)!.username;
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
    sendPage(res, devicesPage(pageContext(req, deps.simulatorUrl), list));
  });

  router.post('/devices/link', async (req: Request, res: Response) => {
    await startDeviceLink(deps, req, res, currentUser(req)!.username, {
      purpose: 'device',
      title: 'Link another device',
      statusUrl: '/devices/link/status',
      next: '/devices',
    });
  });

  router.get('/devices/link/status', async (req: Request, res: Response) => {
    const link = req.session.exampleLink;
    if (!link || link.username !== currentUser(req)!.username) {
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
    await requireDirectory(deps).unlinkDevice(username, deviceId);
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
