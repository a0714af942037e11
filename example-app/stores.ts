import path from 'node:path';
import session from 'express-session';
import createMemoryStore from 'memorystore';
import { MemoryStore } from 'passport-truvalidate';
import { FileAccountStore, type AccountStore } from './accounts';
import { createRedisStores } from './redis-stores';
import { fileError } from './startup-errors';
import type { AppStores } from './app-stores';

export type { AppStores };

/** Most browser sessions the memory session store keeps (the least recently used go first). */
export const MAX_MEMORY_SESSIONS = 10_000;

/**
 * A bounded in-memory session store (`memorystore`: at most {@link MAX_MEMORY_SESSIONS} sessions, least recently
 * used dropped first, expired ones swept every 10 minutes), never express-session's unbounded default MemoryStore.
 */
export function boundedSessionStore(max = MAX_MEMORY_SESSIONS): session.Store {
  const BoundedStore = createMemoryStore(session);
  return new BoundedStore({ max, checkPeriod: 10 * 60_000 });
}

/**
 * THE seam that chooses where state lives. Default: memory for logins and sessions, a JSON file
 * (`APP_DATA/accounts.json`) for accounts (one process). `REDIS_URL` switches all three to Redis (see
 * `redis-stores.ts`: `RedisStore` from `passport-truvalidate/redis` and `connect-redis`) so several instances of
 * the app share logins, sessions and accounts; that choice is made here and nowhere else.
 *
 * @param env the environment (`process.env` in `main.ts`)
 * @param appDataDir where the accounts file lives without Redis (`APP_DATA`); default null: accounts in memory
 */
export async function createStores(env: NodeJS.ProcessEnv, appDataDir: string | null = null): Promise<AppStores> {
  if (env['REDIS_URL']) {
    return createRedisStores(env['REDIS_URL']);
  }
  const file = appDataDir === null ? null : path.join(appDataDir, 'accounts.json');
  let accounts: AccountStore;
  try {
    accounts = new FileAccountStore(file);
  } catch (error) {
    throw fileError(error, 'APP_DATA', file ?? '');
  }
  const store = new MemoryStore();
  const sessionStore = boundedSessionStore();
  return {
    store,
    sessionStore,
    accounts,
    close: async () => {
      (sessionStore as unknown as { stopInterval(): void }).stopInterval();
      await store.close();
    },
  };
}
