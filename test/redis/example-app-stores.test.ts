// The example app's seam: REDIS_URL switches the strategy's store and the session store to Redis.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SessionData } from 'express-session';
import { RedisStore } from 'passport-truvalidate/redis';
import { createStores } from '../../example-app/stores';
import { startRedisServer, type RedisServer } from './helpers/redis-server';

let server: RedisServer;

before(async () => {
  server = await startRedisServer();
});

after(async () => {
  await server.stop();
});

test('REDIS_URL gives a RedisStore and a Redis session store sharing one connection', async () => {
  const first = await createStores({ REDIS_URL: server.url });
  const second = await createStores({ REDIS_URL: server.url }); // another instance of the app
  try {
    assert.ok(first.store instanceof RedisStore);
    const now = Date.now();
    await first.store.putPending(
      { authRequestId: 'x1', username: 'u', bindingHash: 'h', expiresAt: now + 1000, createdAt: now },
      10_000,
    );
    assert.equal((await second.store.consumePending('x1'))?.username, 'u');
    assert.equal(await first.store.consumePending('x1'), null);

    const cookie = { originalMaxAge: 60_000, expires: new Date(now + 60_000), httpOnly: true, path: '/' };
    await new Promise<void>((resolve, reject) =>
      first.sessionStore.set('sid-1', { cookie, returnTo: '/x' } as unknown as SessionData, (err) =>
        err ? reject(err) : resolve(),
      ),
    );
    const read = await new Promise<SessionData | null | undefined>((resolve, reject) =>
      second.sessionStore.get('sid-1', (err, data) => (err ? reject(err) : resolve(data))),
    );
    assert.equal((read as unknown as { returnTo?: string } | null)?.returnTo, '/x');
  } finally {
    await first.close();
    await second.close();
  }
});
