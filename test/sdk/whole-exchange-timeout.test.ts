/**
 * `timeoutMs` bounds the whole HTTP exchange (connect, headers and body) on both adapters: hostile loopback
 * servers that send their headers at once and then drip one byte a second, or that accept the connection and
 * never answer, make the call reject with the SDK's typed error soon after `timeoutMs`, with the socket closed
 * and no timer left behind.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import axios from 'axios';
import { HttpTransport, type HttpTransportOptions } from '../../lib/sdk/transport/http-transport';
import { JOSETransport, ServiceFactory, UnexpectedAPIResponse } from '../../lib/sdk';
import { rsaPair } from './helpers/keys';

const TIMEOUT_MS = 300;
/** Generous: eight test processes share two cores. The bug this guards against kept calls pending for minutes. */
const MARGIN_MS = 1200;

let drip: Server;
let dripUrl: string;
let silent: NetServer;
let silentUrl: string;
const silentSockets = new Set<Socket>();

before(async () => {
  drip = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
    res.write('{');
    const interval = setInterval(() => res.write(' '), 1000);
    res.on('close', () => clearInterval(interval));
  });
  await new Promise<void>((r) => drip.listen(0, '127.0.0.1', r));
  dripUrl = `http://127.0.0.1:${(drip.address() as AddressInfo).port}`;
  silent = createNetServer((socket) => {
    silentSockets.add(socket);
    socket.on('close', () => silentSockets.delete(socket));
    socket.on('error', () => undefined);
    socket.resume(); // reads (so that it sees the client hang up) but never writes
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
});

after(async () => {
  drip.closeAllConnections();
  for (const s of silentSockets) s.destroy();
  await Promise.all([new Promise((r) => drip.close(r)), new Promise((r) => silent.close(r))]);
});

function openConnections(server: Server | NetServer): Promise<number> {
  return new Promise((resolve, reject) => server.getConnections((err, n) => (err ? reject(err) : resolve(n))));
}

async function waitForNoConnections(server: Server | NetServer): Promise<number> {
  for (let i = 0; i < 40 && (await openConnections(server)) > 0; i++) await sleep(25);
  return openConnections(server);
}

function timers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

/** Runs `call`, asserts it rejects with UnexpectedAPIResponse naming the timeout, returns the elapsed ms. */
async function timedRejection(call: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await assert.rejects(call(), (err: unknown) => {
    assert.ok(err instanceof UnexpectedAPIResponse, `got ${String(err)}`);
    assert.equal(err.code, 'ERR_TRUVALIDATE_UNEXPECTED_API_RESPONSE');
    assert.match(err.message, new RegExp(`timeout of ${TIMEOUT_MS}ms exceeded \\(connect, headers and body\\)`));
    return true;
  });
  return performance.now() - started;
}

/** The HTTP layers: the default (axios, the SDK's instance), the node adapter, and a caller's axios instance. */
const LAYERS: Array<[string, () => Pick<HttpTransportOptions, 'adapter' | 'httpClient'>]> = [
  ['axios (default)', () => ({ adapter: 'axios' })],
  ['node', () => ({ adapter: 'node' })],
  ["httpClient (axios' own http adapter)", () => ({ httpClient: axios.create() })],
];

for (const [name, layer] of LAYERS) {
  describe(`${name}, timeoutMs ${TIMEOUT_MS}`, () => {
    const make = (url: string): HttpTransport => {
      const t = new HttpTransport({ timeoutMs: TIMEOUT_MS, maxResponseBytes: 1 << 20, ...layer() });
      t.setUrl(url, false);
      return t;
    };

    test('headers at once, then one byte a second: rejected after timeoutMs, the socket closed', async () => {
      const before = timers();
      const elapsed = await timedRejection(() => make(dripUrl).send('GET', '/public/v3/ping'));
      assert.ok(elapsed >= TIMEOUT_MS - 20, `rejected after ${elapsed} ms, before the timeout`);
      assert.ok(elapsed < TIMEOUT_MS + MARGIN_MS, `rejected after ${elapsed} ms`);
      assert.equal(await waitForNoConnections(drip), 0, 'the dripping connection was closed');
      assert.equal(timers(), before, 'no timer left behind');
    });

    test('a server that accepts and never answers: rejected after timeoutMs, the socket closed', async () => {
      const before = timers();
      const elapsed = await timedRejection(() => make(silentUrl).send('POST', '/service/v3/auths', {}, 'a.b.c.d.e'));
      assert.ok(elapsed >= TIMEOUT_MS - 20, `rejected after ${elapsed} ms, before the timeout`);
      assert.ok(elapsed < TIMEOUT_MS + MARGIN_MS, `rejected after ${elapsed} ms`);
      assert.equal(await waitForNoConnections(silent), 0, 'the silent connection was closed');
      assert.equal(timers(), before, 'no timer left behind');
    });

    test('an SDK call (authorizationRequest) against the dripping server rejects with the typed error', async () => {
      const { adapter, httpClient } = layer();
      const transport = new JOSETransport({
        timeoutMs: TIMEOUT_MS,
        ...(adapter ? { httpAdapter: adapter } : { httpClient }),
      });
      const key = rsaPair().privateKey;
      const client = new ServiceFactory('11111111-2222-1333-8444-555555555555', key, {
        url: dripUrl,
        transport,
      }).makeServiceClient();
      const elapsed = await timedRejection(() => client.authorizationRequest('someone'));
      assert.ok(elapsed < TIMEOUT_MS + MARGIN_MS, `rejected after ${elapsed} ms`);
      assert.equal(await waitForNoConnections(drip), 0);
    });
  });
}
