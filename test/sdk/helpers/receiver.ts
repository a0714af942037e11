/**
 * A local webhook receiver: records each delivery (raw body, headers, method, full path) and answers 204; and
 * {@link signWebhookJwt}, which builds a webhook's `X-IOV-JWT` as the API would sign it.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CompactSign } from 'jose';
import { contentHash } from '../../../lib/sdk/transport/jose-primitives';
import { parseRsaPrivateKey } from '../../../lib/sdk/transport/keys';

/** One webhook as received. */
export interface Delivery {
  method: string;
  /** The full request path, query included (as Express `req.originalUrl`). */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Receiver {
  url: string;
  deliveries: Delivery[];
  /** Resolves with the next delivery (or one already received and not yet taken). */
  next(): Promise<Delivery>;
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1 with a free port. */
export async function startReceiver(): Promise<Receiver> {
  const queue: Delivery[] = [];
  const waiting: Array<(d: Delivery) => void> = [];
  const deliveries: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const d: Delivery = {
        method: req.method ?? '',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      deliveries.push(d);
      const w = waiting.shift();
      if (w) w(d);
      else queue.push(d);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    deliveries,
    next: () => {
      const d = queue.shift();
      return d ? Promise.resolve(d) : new Promise<Delivery>((resolve) => waiting.push(resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** What {@link signWebhookJwt} signs. */
export interface WebhookJwtInput {
  /** The service the webhook is for (`aud` and `sub` are `svc:<id>`). */
  serviceId: string;
  /** The webhook body; the JWT carries its S256 hash. */
  body: string;
  /** The request path the JWT names (`request.path`), with method POST. */
  path: string;
  /** The header `kid`. */
  kid: string;
  /** PEM of the RSA private key that signs (RS256). */
  signPem: string;
}

/**
 * The `X-IOV-JWT` of a well-formed webhook (issuer `lka`, valid for 30 s from now), signed with the given key and kid.
 */
export function signWebhookJwt(input: WebhookJwtInput): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: 'lka',
    aud: `svc:${input.serviceId}`,
    sub: `svc:${input.serviceId}`,
    iat: now,
    nbf: now,
    exp: now + 30,
    jti: '0b6f4c1e-7e0a-4c8c-9d0a-2f1f0f3b8e11',
    request: { meth: 'POST', path: input.path, func: 'S256', hash: contentHash('S256', input.body) },
  };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: 'RS256', kid: input.kid, typ: 'JWT' })
    .sign(parseRsaPrivateKey(input.signPem));
}
