/**
 * The example app with REDIS_URL: two instances of `createApp` (each with its own Redis connections from the
 * `createStores` seam) behind the round-robin proxy, which is also the service callback URL. A login started on
 * one instance completes on the other; with Redis down a login start is an error, never a login.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { Emulator } from 'passport-truvalidate/emulator';
import { startTestEmulator } from '../fixtures/emulator';
import { createApp } from '../../example-app/app';
import { createStores, type AppStores } from '../../example-app/stores';
import { Phone } from '../strategy/helpers/emulator';
import { startRedisServer, type RedisServer } from './helpers/redis-server';
import { RoundRobinProxy } from './helpers/round-robin-proxy';

describe('the example app on Redis, two instances', () => {
  let redis: RedisServer;
  let emulator: Emulator;
  let phone: Phone;
  let proxy: RoundRobinProxy;
  const stores: AppStores[] = [];
  const servers: http.Server[] = [];
  const logs: string[] = [];

  before(async () => {
    redis = await startRedisServer();
    emulator = await startTestEmulator();
    phone = new Phone(emulator);
    proxy = new RoundRobinProxy([]);
    await proxy.start();
    emulator.setServiceCallbackUrl(emulator.service.id, `${proxy.url}/webhooks/truvalidate`);
    for (const name of ['one', 'two']) {
      const appStores = await createStores({ REDIS_URL: redis.url });
      stores.push(appStores);
      const app = createApp({
        apiUrl: emulator.url,
        service: emulator.service,
        directory: emulator.directory,
        sessionSecret: 'shared secret of every instance',
        stores: appStores,
        log: (line) => logs.push(line),
      });
      const server = http.createServer(app);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      proxy.setBackend({ name, port: (server.address() as AddressInfo).port });
    }
  });

  after(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    for (const s of stores) await s.close();
    await proxy?.close();
    await emulator?.close();
    await redis?.stop();
  });

  test('a login started on one instance completes on the other', async () => {
    await emulator.linkUser('carol');
    const browser = request.agent(proxy.url);
    const started = await browser
      .post('/login')
      .set('Accept', 'application/json')
      .set('x-instance', 'one')
      .send({ username: 'carol' });
    assert.equal(started.status, 202);
    proxy.route = (req) => ((req.url ?? '').startsWith('/webhooks/') ? 'two' : null);
    await phone.answer('carol', 'approve');
    proxy.route = () => null;
    const status = await browser.get('/login/status').set('Accept', 'application/json');
    assert.equal(status.body.status, 'authorized');
    const served = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const me = await browser.get('/me').set('Accept', 'application/json');
      assert.equal(me.status, 200);
      served.add(String(me.headers['x-served-by']));
    }
    assert.deepEqual([...served].sort(), ['one', 'two']);
  });

  test('Redis down: a login start is a 503 (never a login); back up: logins work again', async () => {
    await emulator.linkUser('dave');
    await redis.stop();
    const refused = await request(proxy.url)
      .post('/login')
      .set('Accept', 'application/json')
      .send({ username: 'dave' });
    assert.equal(refused.status, 503);
    assert.equal(refused.body.code, 'ERR_TRUVALIDATE_STORE_UNAVAILABLE');
    assert.equal(await phone.auths('dave').then((a) => a.length), 0);
    await redis.start();
    const browser = request.agent(proxy.url);
    let started = await browser.post('/login').set('Accept', 'application/json').send({ username: 'dave' });
    for (let i = 0; started.status !== 202 && i < 40; i++) {
      await new Promise((r) => setTimeout(r, 50));
      started = await browser.post('/login').set('Accept', 'application/json').send({ username: 'dave' });
    }
    assert.equal(started.status, 202);
    await phone.answer('dave', 'approve');
    assert.equal((await browser.get('/login/status').set('Accept', 'application/json')).body.status, 'authorized');
  });
});
