import { RedisStore as RedisSessionStore } from 'connect-redis';
import { createClient } from 'redis';
import { RedisStore } from 'passport-truvalidate/redis';
import { RedisAccountStore } from './accounts';
import type { AppStores } from './app-stores';

/**
 * `REDIS_URL` set: one `redis` client shared by the strategy's store (`RedisStore`, prefix `truvalidate:`) and
 * the session store (`connect-redis`, prefix `sess:`), so every instance of the app behind a load balancer sees
 * the same logins and sessions; the accounts live in the hash `example:accounts`. The client rejects commands at once
 * while Redis is down (no offline queue) and
 * reconnects by itself (50 ms doubling to 1 s); logins then work again without a restart.
 *
 * @param url the Redis URL, e.g. `redis://127.0.0.1:6379`
 */
export function createRedisStores(url: string): AppStores {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 1000,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 10), 1000),
    },
  });
  let down = false;
  client.on('error', (err: Error) => {
    if (!down) console.warn(`Redis unreachable (${err.message}); retrying.`);
    down = true;
  });
  client.on('ready', () => {
    if (down) console.warn('Redis reachable again.');
    down = false;
  });
  client.connect().catch(() => undefined); // errors are reported above; the stores fail closed until ready
  const store = new RedisStore({ client });
  const sessionStore = new RedisSessionStore({ client, prefix: 'sess:' });
  return {
    store,
    sessionStore,
    accounts: new RedisAccountStore(client),
    close: async () => {
      await store.close();
      if (client.isReady) await client.close();
      else if (client.isOpen) client.destroy();
    },
  };
}
