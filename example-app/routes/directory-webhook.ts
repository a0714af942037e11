import express, { type Request, type Response, type Router } from 'express';
import { sdk } from 'passport-truvalidate';
import type { AppDeps } from '../deps';

/** Path of the directory webhook (device link completion) the emulator or TruValidate calls. */
export const DIRECTORY_WEBHOOK_PATH = '/webhooks/truvalidate/directory';

/**
 * `POST /webhooks/truvalidate/directory`: the directory's webhook URL. Verifies the device-link-completion webhook
 * with the SDK (`DirectoryClient.handleWebhook`) and records the completed link so the waiting sign-up page
 * continues at once. 204 when accepted; 400/401 JSON for an invalid webhook (never 2xx).
 */
export function directoryWebhookRoutes(deps: AppDeps): Router {
  const router = express.Router();
  router.post(
    DIRECTORY_WEBHOOK_PATH,
    express.raw({ type: () => true, limit: '64kb', inflate: false }),
    async (req: Request, res: Response) => {
      if (!deps.directoryClient) {
        res.status(404).json({ error: 'No directory configured.' });
        return;
      }
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const path = req.originalUrl.split('?')[0] ?? DIRECTORY_WEBHOOK_PATH;
      try {
        const completion = await deps.directoryClient.handleWebhook(body, req.headers, req.method, path);
        if (completion) deps.linkTracker.markLinked(completion.deviceId);
        res.status(204).end();
      } catch (error) {
        if (!(error instanceof sdk.LaunchKeyAPIException)) throw error;
        const status =
          error instanceof sdk.WebhookAuthorizationError || error instanceof sdk.XiovJWTValidationFailure ? 401 : 400;
        res.status(status).json({ error: error.message, code: error.code });
      }
    },
  );
  return router;
}
