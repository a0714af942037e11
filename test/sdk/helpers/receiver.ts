/** A local webhook receiver: records each delivery (raw body, headers, method, full path) and answers 204. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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
      const d: Delivery = { method: req.method ?? '', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) };
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
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
