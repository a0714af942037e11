import type { Request, Response } from 'express';
import type { AppDeps } from '../deps';
import { pageContext, sendPage, wantsJson } from '../http';
import { qrDataUrl } from '../qr';
import type { PendingLinkData } from '../session-data';
import { linkPage, type LinkView } from '../views/link';
import { requireDirectory } from './link-status';

/** Where a started link is heading: what it is for and what its link page shows besides the code. */
export interface StartLinkOptions {
  /** Sign-up (first device) or "link another device". */
  purpose: PendingLinkData['purpose'];
  /** Heading of the link page. */
  title: LinkView['title'];
  /** The JSON endpoint telling whether the link completed. */
  statusUrl: LinkView['statusUrl'];
  /** Where the link page goes once the link completed. */
  next: LinkView['next'];
}

/**
 * Starts linking a device to `username` (link code valid `deps.linkTtlSeconds`), remembers the link in this
 * browser's session, and answers 201: `{ code, qrcode }` to JSON clients, else the link page with the QR code.
 */
export async function startDeviceLink(deps: AppDeps, req: Request, res: Response, username: string, options: StartLinkOptions): Promise<void> {
  const link = await requireDirectory(deps).linkDevice(username, { ttl: deps.linkTtlSeconds });
  req.session.exampleLink = { username, deviceId: link.deviceId, purpose: options.purpose };
  if (wantsJson(req)) {
    res.status(201).json({ code: link.code, qrcode: link.qrcode });
    return;
  }
  sendPage(res, linkPage(pageContext(req, deps.simulatorUrl), {
    title: options.title,
    username,
    code: link.code,
    qrDataUrl: await qrDataUrl(link.code),
    statusUrl: options.statusUrl,
    next: options.next,
  }), 201);
}
