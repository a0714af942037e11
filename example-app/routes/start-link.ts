import type { Request, Response } from 'express';
import type { AppDeps } from '../deps';
import { pageContext, sendPage } from '../http';
import { qrDataUrl } from '../qr';
import type { PendingLinkData } from '../session-data';
import { linkPage, type LinkView } from '../views/link';
import { requireDirectory } from './link-status';

/** A device link just started: what the answer and the session need. */
export interface StartedLink {
  deviceId: string;
  /** The linking code to type in the app. */
  code: string;
  /** URL of the QR code image (the API's). */
  qrcode: string;
  /** When the code expires (ms since epoch). */
  expiresAt: number;
}

/**
 * Starts linking a device to `username` (link code valid `deps.linkTtlSeconds`) and remembers the link in this
 * browser's session (`exampleLink`), so that its page can be shown again by a reload without starting another.
 */
export async function startDeviceLink(
  deps: AppDeps,
  req: Request,
  username: string,
  purpose: PendingLinkData['purpose'],
): Promise<StartedLink> {
  const link = await requireDirectory(deps).linkDevice(username, { ttl: deps.linkTtlSeconds });
  const expiresAt = Date.now() + deps.linkTtlSeconds * 1000;
  req.session.exampleLink = { username, deviceId: link.deviceId, purpose, code: link.code, expiresAt };
  return { deviceId: link.deviceId, code: link.code, qrcode: link.qrcode, expiresAt };
}

/** Shows the link page (QR code, code, live status) of the session's pending link. */
export async function showLinkPage(
  deps: AppDeps,
  req: Request,
  res: Response,
  link: PendingLinkData,
  view: Pick<LinkView, 'title' | 'statusUrl' | 'next'>,
): Promise<void> {
  sendPage(
    res,
    linkPage(pageContext(req, deps.simulatorUrl), {
      ...view,
      username: link.username,
      code: link.code,
      qrDataUrl: await qrDataUrl(link.code),
    }),
  );
}
