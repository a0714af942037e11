/** The limits and the TOTP replay cache are shared by every instance through a RedisStore (a real redis-server). */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Emulator } from 'passport-truvalidate/emulator';
import { RedisStore } from 'passport-truvalidate/redis';
import { DirectoryFactory } from 'passport-truvalidate/sdk';
import { emulatorWithUsers, type Phone } from './helpers/emulator';
import { buildTestApp, listenTestApp, type TestApp, type TestAppOptions } from './helpers/app';
import { startRedisServer, type RedisServer } from '../redis/helpers/redis-server';

describe('limits shared across instances through RedisStore', () => {
  let emulator: Emulator;
  let phone: Phone;
  let server: RedisServer;
  const apps: TestApp[] = [];
  const stores: RedisStore[] = [];
  let seq = 0;

  /** Two instances of one app, behind a trusted loopback proxy, sharing one Redis prefix. */
  async function pair(strategyOptions: TestAppOptions['strategyOptions']): Promise<[TestApp, TestApp]> {
    const prefix = `limits${++seq}:`;
    const make = async (): Promise<TestApp> => {
      const store = new RedisStore({ url: server.url, prefix });
      stores.push(store);
      const built = buildTestApp({ apiUrl: emulator.url, service: emulator.service, store, strategyOptions });
      built.app.set('trust proxy', 'loopback');
      const a = await listenTestApp(built, { store });
      apps.push(a);
      return a;
    };
    return [await make(), await make()];
  }

  before(async () => {
    server = await startRedisServer();
    ({ emulator, phone } = await emulatorWithUsers(['ria', 'sol', 'ted']));
    const directory = new DirectoryFactory(emulator.directory.id, emulator.directory.privateKey, {
      url: emulator.url,
    }).makeDirectoryClient();
    await directory.generateUserTotp('ted');
  });

  after(async () => {
    for (const a of apps) await a.close();
    for (const s of stores) await s.close();
    await emulator.close();
    await server.stop();
  });

  test('clientLimit and pushLimit count across instances: the third start, on either instance, is 429', async () => {
    const [a, b] = await pair({ clientLimit: { max: 2, windowMs: 60_000 } });
    const start = (app: TestApp, ip: string, username: string): request.Test =>
      request
        .agent(app.url)
        .post('/login')
        .set('X-Forwarded-For', ip)
        .set('Accept', 'application/json')
        .send({ username });
    assert.equal((await start(a, '203.0.113.5', 'nobody-r1')).status, 202);
    assert.equal((await start(b, '203.0.113.5', 'nobody-r2')).status, 202);
    const over = await start(a, '203.0.113.5', 'ria');
    assert.deepEqual([over.status, over.body.reason, over.headers['retry-after']], [429, 'rate_limited', '60']);
    assert.deepEqual(await phone.auths('ria'), []);

    const [c, d] = await pair({ pushLimit: { max: 1, windowMs: 60_000 } });
    assert.equal((await start(c, '203.0.113.6', 'sol')).status, 202);
    await phone.answer('sol', 'deny');
    const again = await start(d, '203.0.113.7', 'sol');
    assert.deepEqual([again.status, again.body.reason], [429, 'rate_limited'], 'the push limit of sol is shared');
  });

  test('TOTP replay: a code accepted at one instance is refused at the other', async () => {
    const [a, b] = await pair({});
    const code = await phone.totp('ted');
    assert.equal((await request(a.url).post('/login').send({ username: 'ted', otp: code })).status, 200);
    const replay = await request(b.url).post('/login').send({ username: 'ted', otp: code });
    assert.deepEqual([replay.status, replay.body.reason], [401, 'INVALID_OTP']);
  });
});
