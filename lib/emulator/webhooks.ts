/**
 * Webhook delivery (docs/protocol.md §11.1, §11.2): signed with `X-IOV-JWT`, POSTed once with a 10 s timeout, logged.
 * Deliveries reuse connections (keep-alive agents of the emulator, closed with it), as the real API's do: a new TCP
 * connection per webhook cost about 1 ms of the time from approval to the app's answer (`npm run bench`).
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { randomUUID } from 'node:crypto';
import { contentHash } from '../sdk/wire';
import { isoFormat } from '../sdk/wire';
import type { EmulatorRuntime } from './runtime';
import { encryptForEntity, signApiJwt, type EncryptionTarget } from './signing';
import type { WebhookDelivery, WebhookMessage } from './webhook-types';

/** Timeout of one delivery in milliseconds. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

export type { WebhookDelivery, WebhookKind, WebhookMessage } from './webhook-types';

/** The keep-alive agents of one emulator's deliveries. */
interface DeliveryAgents {
  http: HttpAgent;
  https: HttpsAgent;
}

const agentsOf = new WeakMap<EmulatorRuntime, DeliveryAgents>();

function deliveryAgents(rt: EmulatorRuntime): DeliveryAgents {
  let agents = agentsOf.get(rt);
  if (!agents) {
    agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
    agentsOf.set(rt, agents);
  }
  return agents;
}

/** Closes the delivery connections of `rt` (the emulator's `close()`). */
export function closeWebhookAgents(rt: EmulatorRuntime): void {
  const agents = agentsOf.get(rt);
  if (!agents) return;
  agentsOf.delete(rt);
  agents.http.destroy();
  agents.https.destroy();
}

function post(rt: EmulatorRuntime, url: URL, headers: Record<string, string>, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const https = url.protocol === 'https:';
    const send = https ? httpsRequest : httpRequest;
    const agents = deliveryAgents(rt);
    const agent = https ? agents.https : agents.http;
    const req = send(url, { method: 'POST', headers, agent, timeout: WEBHOOK_TIMEOUT_MS }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${WEBHOOK_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Signs and POSTs a webhook once (no retry), records the outcome in `rt.webhookLog` and returns it. Never throws for
 * delivery failures (they are logged with `status: null`).
 */
export async function sendWebhook(rt: EmulatorRuntime, msg: WebhookMessage): Promise<WebhookDelivery> {
  const delivery: WebhookDelivery = {
    url: msg.url,
    kind: msg.kind,
    status: null,
    time: isoFormat(rt.clock.now()),
    aud: msg.aud,
    sub: msg.sub,
  };
  try {
    const url = new URL(msg.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new Error(`unsupported URL scheme ${url.protocol}`);
    const bytes = Buffer.from(msg.body, 'utf8');
    const jwt = await signApiJwt(rt, {
      aud: msg.aud,
      sub: msg.sub,
      jti: randomUUID(),
      request: { meth: 'POST', path: url.pathname, func: 'S256', hash: contentHash('S256', bytes) },
    });
    delivery.status = await post(
      rt,
      url,
      { 'Content-Type': msg.contentType, 'Content-Length': String(bytes.length), 'X-IOV-JWT': jwt },
      bytes,
    );
  } catch (err) {
    delivery.error = (err as Error).message;
  }
  rt.webhookLog.push(delivery);
  const over = rt.webhookLog.length - rt.retention.webhookLog;
  if (over > 0) rt.webhookLog.splice(0, over); // the oldest go first
  rt.log(`webhook ${msg.kind} -> ${msg.url}: ${delivery.status ?? `failed (${delivery.error})`}`);
  return delivery;
}

/** Encrypts a JSON payload to `encryptTo` (docs/protocol.md §3.4) and sends it as a JWE webhook. */
export async function sendEncryptedWebhook(
  rt: EmulatorRuntime,
  msg: Omit<WebhookMessage, 'body' | 'contentType'> & { payload: unknown; encryptTo: EncryptionTarget },
): Promise<WebhookDelivery> {
  const { jwe } = await encryptForEntity(rt, msg.encryptTo, JSON.stringify(msg.payload));
  return sendWebhook(rt, {
    url: msg.url,
    kind: msg.kind,
    aud: msg.aud,
    sub: msg.sub,
    body: jwe,
    contentType: 'application/jose',
  });
}
