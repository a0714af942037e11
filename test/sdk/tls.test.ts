/** TLS verification (docs/protocol.md §2.4): on by default; `testing: true` turns it off for local use. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceFactory, Unauthorized, UnexpectedAPIResponse } from '../../lib/sdk';
import { rsaPair } from './helpers/keys';

const SVC = 'c0000000-0000-1000-8000-000000000003';
let server: Server;
let url: string;
let key: string;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tv-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    server = createServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (req, res) => {
        if (req.url === '/public/v3/ping')
          res.writeHead(200).end(JSON.stringify({ api_time: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }));
        else res.writeHead(401).end();
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  key = rsaPair().privateKey;
});
after(() => {
  server.closeAllConnections();
  return new Promise<void>((r) => server.close(() => r()));
});

test('a self-signed certificate is refused by default', async () => {
  const client = new ServiceFactory(SVC, key, { url }).makeServiceClient();
  await assert.rejects(
    client.getAdvancedAuthorizationResponse('x'),
    (err: unknown) => err instanceof UnexpectedAPIResponse && /self.signed|certificate/i.test(err.message),
  );
});

test('testing: true accepts it (the call then reaches the server: 401 here)', async () => {
  const client = new ServiceFactory(SVC, key, { url, testing: true }).makeServiceClient();
  await assert.rejects(client.getAdvancedAuthorizationResponse('x'), Unauthorized);
});
