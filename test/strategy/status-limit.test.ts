/**
 * The long-poll status route never holds a request past its stated limit (`timeoutMs`), even when the API
 * accepts the poll and never answers (a hostile or hung API behind a loopback proxy).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { Emulator } from 'passport-truvalidate/emulator';
import { emulatorWithUsers, type Phone } from './helpers/emulator';
import { startPush } from './helpers/flows';
import { buildTestApp, listenTestApp, type TestApp } from './helpers/app';

/** Forwards to the emulator, except that while `silent` it accepts authorization-response polls and never answers. */
class SilentPollProxy {
  silent = true;
  held = 0;
  private readonly server: http.Server;
  url = '';

  constructor(private readonly target: string) {
    this.server = http.createServer((req, res) => {
      if (this.silent && req.method === 'GET' && /^\/service\/v3\/auths\/[^/]+$/.test(req.url ?? '')) {
        this.held++;
        return; // never answers
      }
      const upstream = http.request(
        `${this.target}${req.url ?? '/'}`,
        { method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('status route: a hard limit per request', () => {
  let emulator: Emulator;
  let phone: Phone;
  let proxy: SilentPollProxy;
  let app: TestApp;

  before(async () => {
    ({ emulator, phone } = await emulatorWithUsers(['hana']));
    proxy = new SilentPollProxy(emulator.url);
    await proxy.start();
    const built = buildTestApp({
      apiUrl: proxy.url,
      service: emulator.service,
      strategyOptions: { pollIntervalMs: 200 },
    });
    built.app.get('/login/status-1s', built.strategy.status({ timeoutMs: 1000 }));
    app = await listenTestApp(built, {});
  });

  after(async () => {
    await app.close();
    await proxy.close();
    await emulator.close();
  });

  test(
    'with the API silent on polls, the route answers pending within ' + 'timeoutMs; a later poll completes the login',
    async () => {
      const browser = request.agent(app.url);
      await startPush(browser, 'hana');
      for (const path of ['/login/status-1s', '/login/status-1s?wait=0', '/login/status-1s?wait=600']) {
        const begun = Date.now();
        const res = await browser.get(path).set('Accept', 'application/json').timeout(10_000);
        const took = Date.now() - begun;
        assert.deepEqual([res.status, res.body], [200, { status: 'pending' }], path);
        assert.ok(took < 1000 + 750, `${path} answered after ${took} ms (limit 1000 ms)`);
      }
      assert.ok(proxy.held >= 1, 'the API poll was really held');
      proxy.silent = false;
      await phone.answer('hana', 'approve');
      await new Promise((resolve) => setTimeout(resolve, 250)); // the next poll interval
      const done = await browser.get('/login/status-1s').set('Accept', 'application/json');
      assert.deepEqual([done.status, done.body.status], [200, 'authorized']);
    },
  );
});
