// webhooks.ts: receive authorization responses, session ends and device link completions in Express.
import express from 'express';
import {
  DirectoryFactory,
  LaunchKeyError,
  OrganizationFactory,
  type DeviceLinkCompletionResponse,
  type DirectoryClient,
  type ServiceClient,
  type ServiceWebhookEvent,
} from 'passport-truvalidate/sdk';

export type WebhookEvent = ServiceWebhookEvent | DeviceLinkCompletionResponse;

export function webhookRoutes(
  service: ServiceClient,
  directory: DirectoryClient,
  onEvent: (event: WebhookEvent) => void | Promise<void>,
): express.Router {
  const router = express.Router();
  // The signature covers the exact body bytes: take the raw body, and mount no JSON parser before these routes.
  const raw = express.raw({ type: () => true, limit: '64kb' });
  const body = (req: express.Request): Buffer => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));

  router.post('/webhooks/truvalidate', raw, async (req, res, next) => {
    try {
      // Pass the full path the API called (req.originalUrl, not req.path, which a mount point shortens).
      const event = await service.handleAdvancedWebhook(body(req), req.headers, req.method, req.originalUrl);
      // event.kind === 'authorization-response': authorized, authorizationRequestId, serviceUserHash, denialReason,
      // fraud
      // event.kind === 'session-end': the user logged out from the phone; serviceUserHash, logoutRequested (a Date)
      // null: an event type this SDK version does not know (ignored with a warning)
      if (event !== null) await onEvent(event);
      res.status(204).end();
    } catch (err) {
      if (err instanceof LaunchKeyError)
        res.status(400).end(); // unsigned, forged, tampered, stale or not ours
      else next(err);
    }
  });

  router.post('/webhooks/directory', raw, async (req, res, next) => {
    try {
      // A device finished linking: deviceId, devicePublicKey, devicePublicKeyId (null: unknown payload)
      const event = await directory.handleWebhook(body(req), req.headers, req.method, req.originalUrl);
      if (event !== null) await onEvent(event);
      res.status(204).end();
    } catch (err) {
      if (err instanceof LaunchKeyError) res.status(400).end();
      else next(err);
    }
  });
  return router;
}

/** Points the service's callback URL and the directory's webhook URL at this application. */
export async function registerWebhookUrls(
  url: string,
  credentials: {
    organization: { id: string; privateKey: string };
    directory: { id: string; privateKey: string };
    service: { id: string };
  },
  publicBaseUrl: string,
): Promise<void> {
  const org = new OrganizationFactory(credentials.organization.id, credentials.organization.privateKey, {
    url,
  }).makeOrganizationClient();
  await org.updateDirectory(credentials.directory.id, { webhookUrl: `${publicBaseUrl}/webhooks/directory` });
  const directory = new DirectoryFactory(credentials.directory.id, credentials.directory.privateKey, {
    url,
  }).makeDirectoryClient();
  await directory.updateService(credentials.service.id, { callbackUrl: `${publicBaseUrl}/webhooks/truvalidate` });
}
