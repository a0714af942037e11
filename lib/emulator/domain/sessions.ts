/** Service sessions of users, and session end webhooks (docs/protocol.md §11.6, §13 OP-17). */
import { isoFormat } from '../../sdk/wire';
import { userHash } from '../ids';
import type { EmulatorRuntime } from '../runtime';
import type { UserRecord } from '../state/types';
import { sendWebhook, type WebhookDelivery } from '../webhooks';

/**
 * Ends the user's sessions (all, or only the one of `serviceId`), removes them, and sends each affected service with
 * a callback URL a session end webhook (plain JSON `{service_user_hash, api_time}`, `aud` = the issuer of the latest
 * session start). Returns the deliveries.
 */
export async function endSessions(
  rt: EmulatorRuntime,
  user: UserRecord,
  serviceId?: string,
): Promise<WebhookDelivery[]> {
  const ending = user.sessions.filter((s) => serviceId === undefined || s.serviceId === serviceId);
  user.sessions = user.sessions.filter((s) => !ending.includes(s));
  rt.state.save();
  const deliveries: WebhookDelivery[] = [];
  const serviceIds = [...new Set(ending.map((s) => s.serviceId))];
  for (const id of serviceIds) {
    const service = rt.state.findService(id);
    if (!service?.callbackUrl) continue;
    const latest = ending
      .filter((s) => s.serviceId === id)
      .sort((a, b) => Date.parse(b.created) - Date.parse(a.created))[0];
    const body = JSON.stringify({
      service_user_hash: userHash(service.id, user.identifier),
      api_time: isoFormat(rt.clock.now()),
    });
    deliveries.push(
      await sendWebhook(rt, {
        url: service.callbackUrl,
        kind: 'session_end',
        aud: latest?.issuer ?? `svc:${service.id}`,
        sub: `svc:${service.id}`,
        body,
        contentType: 'application/json',
      }),
    );
  }
  return deliveries;
}
