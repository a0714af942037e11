/**
 * A webhook recorder in front of a test app: it keeps every webhook it receives (headers and raw body) and
 * forwards it unchanged to the app, on the same path, so that a test can replay one later.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One recorded webhook. */
export interface RecordedWebhook {
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** The status the app answered. */
  status: number;
}

/** A running recorder. */
export interface WebhookRecorder {
  /** The callback URL to give the emulator. */
  url: string;
  recorded: RecordedWebhook[];
  close(): Promise<void>;
}

/** Starts a recorder forwarding to `targetOrigin` (e.g. the app's `http://127.0.0.1:port`). */
export async function startRecorder(targetOrigin: string, path = '/webhooks/truvalidate'): Promise<WebhookRecorder> {
  const recorded: RecordedWebhook[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'x-iov-jwt']) {
        const v = req.headers[name];
        if (typeof v === 'string') headers[name] = v;
      }
      const forward = http.request(
        `${targetOrigin}${req.url ?? path}`,
        { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } },
        (answer) => {
          answer.resume();
          answer.on('end', () => {
            recorded.push({ path: req.url ?? path, headers, body, status: answer.statusCode ?? 0 });
            res.writeHead(answer.statusCode ?? 502).end();
          });
        },
      );
      forward.on('error', () => res.writeHead(502).end());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    recorded,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
