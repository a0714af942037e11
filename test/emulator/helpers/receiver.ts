/** A local HTTP server that records the webhooks it receives (answers 204, or `status`). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One received request. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A running receiver. */
export interface Receiver {
  url: string;
  received: ReceivedRequest[];
  /** Resolves with the next request (or one already received and not yet taken). */
  next(): Promise<ReceivedRequest>;
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1 with a free port. */
export async function startReceiver(status = 204): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  let taken = 0;
  const waiters: ((r: ReceivedRequest) => void)[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(r);
      res.writeHead(status).end();
      const w = waiters.shift();
      if (w) {
        taken++;
        w(r);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    next() {
      if (taken < received.length) return Promise.resolve(received[taken++] as ReceivedRequest);
      return new Promise((resolve) => waiters.push(resolve));
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
