/**
 * `ping()` on the three SDK clients (the API's public ping endpoint: API time, latency, clock offset, typed errors)
 * and `healthCheck(client)` of lib/strategy/health-check.ts, which never rejects: against the emulator while it
 * is up, after it closed, and against hostile loopback servers (5xx, silence).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DirectoryFactory,
  InvalidParameters,
  JOSETransport,
  OrganizationFactory,
  ServiceClient,
  ServiceFactory,
  UnexpectedAPIResponse,
  type Transport,
} from '../../lib/sdk';
import { healthCheck } from '../../lib/strategy/health-check';
import { startTestEmulator, type Emulator } from './helpers/emulator';

let emu: Emulator;
let servers: Server[] = [];

before(async () => {
  emu = await startTestEmulator();
});
after(async () => {
  await emu.close();
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  servers = [];
});

async function loopback(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function service(url: string, timeoutMs = 5000): ServiceClient {
  const transport = new JOSETransport({ timeoutMs });
  return new ServiceFactory(emu.service.id, emu.service.privateKey, { url, transport }).makeServiceClient();
}

describe('client.ping()', () => {
  test('service, directory and organization clients resolve the API time, latency and clock offset', async () => {
    const clients = [
      service(emu.url),
      new DirectoryFactory(emu.directory.id, emu.directory.privateKey, { url: emu.url }).makeDirectoryClient(),
      new OrganizationFactory(emu.organization.id, emu.organization.privateKey, {
        url: emu.url,
      }).makeOrganizationClient(),
    ];
    for (const client of clients) {
      const before = Date.now();
      const result = await client.ping();
      const after = Date.now();
      assert.ok(result.apiTime instanceof Date);
      // The emulator runs on this machine's clock; its api_time has whole seconds.
      const apiMs = result.apiTime.getTime();
      assert.ok(apiMs >= Math.floor(before / 1000) * 1000 && apiMs <= after, result.apiTime.toISOString());
      assert.ok(result.latencyMs >= 0 && result.latencyMs <= after - before + 1, `latency ${result.latencyMs}`);
      assert.ok(Math.abs(result.clockOffsetMs) <= after - before + 1000, `offset ${result.clockOffsetMs}`);
    }
  });

  test('a ping measures a skewed API clock and refreshes the offset the transport uses', async () => {
    const skewMs = 120_000;
    const url = await loopback((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ api_time: new Date(Date.now() + skewMs).toISOString() }));
    });
    const client = service(url);
    const result = await client.ping();
    assert.ok(Math.abs(result.clockOffsetMs - skewMs) < 1000, `offset ${result.clockOffsetMs}`);
    assert.equal(client.serverTimeOffsetMs, result.clockOffsetMs);
  });

  test('a 503 answer, a body without api_time and a closed port are UnexpectedAPIResponse', async () => {
    const down = await loopback((_req, res) => res.writeHead(503).end('busy'));
    const typed = (pattern: RegExp, status: number | null) => (err: unknown) =>
      err instanceof UnexpectedAPIResponse && err.statusCode === status && pattern.test(err.message);
    await assert.rejects(service(down).ping(), typed(/ping answered HTTP 503/, 503));
    const odd = await loopback((_req, res) => res.writeHead(200).end('{"time": 1}'));
    await assert.rejects(service(odd).ping(), typed(/no parseable api_time/, 200));
    const closed = await loopback(() => undefined);
    const server = servers.pop() as Server;
    await new Promise((r) => server.close(r));
    await assert.rejects(service(closed).ping(), typed(/ECONNREFUSED/, null));
  });

  test('a client over a custom transport without ping() throws InvalidParameters', async () => {
    const transport = new JOSETransport();
    const custom = Object.assign(Object.create(transport) as Transport, { ping: undefined });
    await assert.rejects(new ServiceClient(emu.service.id, custom).ping(), InvalidParameters);
  });
});

describe('healthCheck(client)', () => {
  test('API up: ok with the API time, clock drift and latency', async () => {
    const result = await healthCheck(service(emu.url));
    assert.equal(result.ok, true);
    assert.ok(result.apiTime instanceof Date);
    assert.equal(typeof result.clockDriftMs, 'number');
    assert.equal(typeof result.latencyMs, 'number');
    assert.equal(result.error, undefined);
  });

  test('API gone (emulator closed): ok false with the error, no rejection', async () => {
    const other = await startTestEmulator();
    const client = service(other.url);
    assert.equal((await healthCheck(client)).ok, true);
    await other.close();
    const result = await healthCheck(client);
    const { error, ...rest } = result;
    assert.deepEqual(rest, { ok: false, apiTime: null, clockDriftMs: null, latencyMs: null });
    const expected = /^ERR_TRUVALIDATE_UNEXPECTED_API_RESPONSE: GET http:\/\/127\.0\.0\.1:\d+\/public\/v3\/ping failed/;
    assert.match(error ?? '', expected);
  });

  test('an API that never answers: ok false after the health check timeout', async () => {
    const silent = await loopback(() => undefined);
    const started = Date.now();
    const result = await healthCheck(service(silent, 30_000), { timeoutMs: 300 });
    const elapsed = Date.now() - started;
    assert.equal(result.ok, false);
    assert.equal(result.error, 'the API did not answer the ping within 300 ms');
    assert.ok(elapsed >= 290 && elapsed < 1500, `answered after ${elapsed} ms`);
  });

  test('a client whose ping throws synchronously still gives a result', async () => {
    const result = await healthCheck({
      ping: () => {
        throw new TypeError('boom');
      },
    });
    assert.deepEqual(result, { ok: false, apiTime: null, clockDriftMs: null, latencyMs: null, error: 'boom' });
  });
});
