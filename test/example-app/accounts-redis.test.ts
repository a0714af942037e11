/** With `REDIS_URL`, the example's accounts live in Redis (hash `example:accounts`), shared by every instance. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { holdsName } from '../../example-app/accounts';
import { createStores } from '../../example-app/stores';
import { waitFor } from './harness';
import { startRedisServer, type RedisServer } from '../redis/helpers/redis-server';

let server: RedisServer;

before(async () => {
  server = await startRedisServer();
});

after(async () => {
  await server.stop();
});

test('an account written by one instance is read by another; a delete frees the name for both', async () => {
  const one = await createStores({ REDIS_URL: server.url });
  const two = await createStores({ REDIS_URL: server.url });
  try {
    // The stores connect in the background (commands fail at once while offline): wait until both answer.
    for (const stores of [one, two]) {
      await waitFor(
        'Redis',
        async () =>
          await stores.accounts.get('nobody').then(
            () => true,
            () => undefined,
          ),
      );
    }
    const now = Date.now();
    await one.accounts.put({
      username: 'shared-sam',
      state: 'linked',
      linkExpiresAt: null,
      deviceId: null,
      totp: true,
      createdAt: now,
    });
    const read = await two.accounts.get('shared-sam');
    assert.deepEqual(read, {
      username: 'shared-sam',
      state: 'linked',
      linkExpiresAt: null,
      deviceId: null,
      totp: true,
      createdAt: now,
    });
    assert.ok(holdsName(read));
    await two.accounts.delete('shared-sam');
    assert.equal(await one.accounts.get('shared-sam'), null);
    await one.accounts.put({
      username: 'late-lee',
      state: 'pending',
      linkExpiresAt: now - 1,
      deviceId: 'd',
      totp: false,
      createdAt: now,
    });
    assert.equal(holdsName(await two.accounts.get('late-lee')), false, 'an expired sign-up holds nothing');
  } finally {
    await one.close();
    await two.close();
  }
});
