/**
 * The HTTP layer of the transport (docs/protocol.md §2): both adapters (axios, the default, and the opt-in node:http
 * exchange) pass the same tests against a plain local node:http server (verbatim paths, keep-alive, limits,
 * timeouts, no redirects, no decoding), then a full SDK call pair through each against the emulator.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import { HTTP_ADAPTERS, HttpTransport, USER_AGENT, type HttpAdapter } from '../../lib/sdk/transport/http-transport';
import { InvalidParameters, JOSETransport, ServiceFactory, UnexpectedAPIResponse } from '../../lib/sdk';
import { linkedUser, respond, startTestEmulator, type Emulator } from './helpers/emulator';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base: string;
let connections = 0;
const seen: Seen[] = [];
/** What the server does with a request; default: 200 with a small text body and a custom header. */
let handler: (req: IncomingMessage, res: ServerResponse) => void;

function defaultHandler(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, 'Fine', { 'X-IOV-Test': 'yes', 'Content-Type': 'text/plain' });
  res.end('héllo');
}

function transport(options: Partial<ConstructorParameters<typeof HttpTransport>[0]> = {}, url = base): HttpTransport {
  const t = new HttpTransport({ timeoutMs: 5000, maxResponseBytes: 1024 * 1024, ...options });
  t.setUrl(url, false);
  return t;
}

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      handler(req, res);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});
beforeEach(() => {
  seen.length = 0;
  handler = defaultHandler;
});

for (const adapter of HTTP_ADAPTERS) {
  describe(`${adapter} adapter`, () => {
    const make = (options: Partial<ConstructorParameters<typeof HttpTransport>[0]> = {}, url = base): HttpTransport =>
      transport({ adapter, ...options }, url);

    test('sends the path verbatim with the SDK headers and reads status, reason, headers and text', async () => {
      const res = await make().send(
        'POST',
        '/public/v3/public-key/ab:cd',
        { Authorization: 'IOV-JWT x.y.z' },
        'a.b.c.d.e',
      );
      assert.equal(res.status, 200);
      assert.equal(res.reason, 'Fine');
      assert.equal(res.headers['x-iov-test'], 'yes');
      assert.equal(res.body, 'héllo');
      const req = seen[0];
      assert.ok(req);
      assert.equal(req.method, 'POST');
      assert.equal(req.url, '/public/v3/public-key/ab:cd');
      assert.equal(req.headers['user-agent'], USER_AGENT);
      assert.equal(req.headers['accept-encoding'], 'identity');
      assert.equal(req.headers['content-type'], 'application/jose');
      assert.equal(req.headers['authorization'], 'IOV-JWT x.y.z');
      assert.equal(req.body, 'a.b.c.d.e');
    });

    test('a GET has no body and no Content-Type', async () => {
      await make().send('GET', '/public/v3/ping');
      assert.equal(seen[0]?.headers['content-type'], undefined);
      assert.equal(seen[0]?.body, '');
    });

    test('consecutive calls reuse one keep-alive connection', async () => {
      const t = make();
      await t.send('GET', '/public/v3/ping');
      const before = connections;
      for (let i = 0; i < 5; i++) await t.send('GET', '/public/v3/ping');
      assert.equal(connections, before, 'no new connection was opened');
      assert.equal(seen.length, 6);
    });

    test('a base URL with a path prefix is kept in front of the path', async () => {
      await make({}, `${base}/prefix/`).send('GET', '/public/v3/ping');
      assert.equal(seen[0]?.url, '/prefix/public/v3/ping');
    });

    test('a redirect is refused, not followed', async () => {
      handler = (_req, res) => {
        res.writeHead(302, { Location: '/elsewhere' });
        res.end();
      };
      await assert.rejects(make().send('GET', '/public/v3/ping'), (err: unknown) => {
        assert.ok(err instanceof UnexpectedAPIResponse);
        assert.equal(err.statusCode, 302);
        assert.match(err.message, /redirects are not followed/);
        return true;
      });
      assert.equal(seen.length, 1, 'the Location was not requested');
    });

    test('an encoded answer is refused, not decoded', async () => {
      handler = (_req, res) => {
        res.writeHead(200, { 'Content-Encoding': 'gzip' });
        res.end(Buffer.from([0x1f, 0x8b, 0x08, 0x00]));
      };
      await assert.rejects(
        make().send('GET', '/x'),
        (err: unknown) => err instanceof UnexpectedAPIResponse && /Content-Encoding gzip/.test(err.message),
      );
    });

    test('an answer that never comes times out as UnexpectedAPIResponse naming the URL', async () => {
      handler = () => undefined;
      await assert.rejects(make({ timeoutMs: 200 }).send('GET', '/public/v3/ping'), (err: unknown) => {
        assert.ok(err instanceof UnexpectedAPIResponse);
        assert.match(err.message, new RegExp(`GET ${base.replace(/\./g, '\\.')}/public/v3/ping failed`));
        assert.match(err.message, /timeout of 200ms exceeded/);
        return true;
      });
    });

    test('an oversize answer is refused, with or without Content-Length', async () => {
      handler = (_req, res) => {
        res.writeHead(200);
        res.write(Buffer.alloc(600, 0x41));
        res.end(Buffer.alloc(600, 0x41));
      };
      await assert.rejects(
        make({ maxResponseBytes: 1000 }).send('GET', '/x'),
        (err: unknown) => err instanceof UnexpectedAPIResponse && /exceeded/.test(err.message),
      );
      handler = (_req, res) => {
        res.writeHead(200, { 'Content-Length': '1200' });
        res.end(Buffer.alloc(1200, 0x41));
      };
      await assert.rejects(
        make({ maxResponseBytes: 1000 }).send('GET', '/x'),
        (err: unknown) => err instanceof UnexpectedAPIResponse && /exceeded/.test(err.message),
      );
    });

    test('an oversize request body is refused before anything is sent', async () => {
      await assert.rejects(
        make({ maxResponseBytes: 10 }).send('POST', '/x', {}, 'x'.repeat(11)),
        (err: unknown) => err instanceof UnexpectedAPIResponse && /exceeded/.test(err.message),
      );
      assert.equal(seen.length, 0);
    });

    test('an unusable base URL fails the call, not setUrl', async () => {
      const t = new HttpTransport({ timeoutMs: 1000, maxResponseBytes: 1000, adapter });
      t.setUrl('ftp://127.0.0.1', false);
      await assert.rejects(
        t.send('GET', '/x'),
        (err: unknown) => err instanceof UnexpectedAPIResponse && /ftp:\/\/127\.0\.0\.1\/x failed/.test(err.message),
      );
    });
  });
}

describe('choosing the adapter', () => {
  test('without an adapter option the requests go through axios (its default Accept header shows)', async () => {
    await transport().send('GET', '/public/v3/ping');
    await transport({ adapter: 'node' }).send('GET', '/public/v3/ping');
    assert.match(String(seen[0]?.headers['accept']), /application\/json/);
    assert.equal(seen[1]?.headers['accept'], undefined);
  });

  test('an httpClient axios instance is used for the exchange, with the same result', async () => {
    const client = axios.create();
    let calls = 0;
    client.interceptors.request.use((config) => {
      calls++;
      return config;
    });
    const res = await transport({ httpClient: client }).send('POST', '/public/v3/public-key/ab:cd', {}, 'body');
    assert.equal(calls, 1);
    assert.equal(res.status, 200);
    assert.equal(res.reason, 'Fine');
    assert.equal(res.headers['x-iov-test'], 'yes');
    assert.equal(res.body, 'héllo');
    assert.equal(seen[0]?.url, '/public/v3/public-key/ab:cd');
    assert.equal(seen[0]?.headers['content-type'], 'application/jose');
  });

  test("an httpClient with the 'node' adapter, or an unknown adapter, is InvalidParameters", () => {
    assert.throws(() => new JOSETransport({ httpAdapter: 'node', httpClient: axios.create() }), InvalidParameters);
    assert.throws(() => new JOSETransport({ httpAdapter: 'fetch' as HttpAdapter }), InvalidParameters);
    assert.throws(
      () => new HttpTransport({ timeoutMs: 1, maxResponseBytes: 1, adapter: 'node', httpClient: axios.create() }),
      InvalidParameters,
    );
  });
});

describe('a full SDK call pair through each adapter (emulator)', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startTestEmulator();
  });
  after(async () => {
    await emu.close();
  });

  for (const adapter of HTTP_ADAPTERS) {
    test(`${adapter}: authorizationRequest, approval, getAdvancedAuthorizationResponse`, async () => {
      const transport = new JOSETransport({ httpAdapter: adapter });
      const client = new ServiceFactory(emu.service.id, emu.service.privateKey, {
        url: emu.url,
        transport,
      }).makeServiceClient();
      const user = await linkedUser(emu);
      const req = await client.authorizationRequest(user);
      await respond(emu, req.authRequest, 'approve');
      const res = await client.getAdvancedAuthorizationResponse(req.authRequest);
      assert.equal(res?.authorized, true);
    });
  }
});
