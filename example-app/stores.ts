import session from 'express-session';
import { MemoryStore } from 'passport-truvalidate';
import type { TruValidateStore } from 'passport-truvalidate';
import { createRedisStores } from './redis-stores';

/** The two stores the example needs: the strategy's store and the session store of express-session. */
export interface AppStores {
  /** Pending logins, results, replay cache, remote-logout markers. */
  store: TruValidateStore;
  /** Browser sessions. */
  sessionStore: session.Store;
  /** Releases both (timers, connections). */
  close(): Promise<void>;
}

/**
 * THE seam that chooses where state lives. Default: memory for both (one process). `REDIS_URL` switches both to
 * Redis (see `redis-stores.ts`: `RedisStore` from `passport-truvalidate/redis` and `connect-redis`) so several
 * instances of the app share logins and sessions; that choice is made here and nowhere else.
 *
 * @param env the environment (`process.env` in `main.ts`)
 */
export async function createStores(env: NodeJS.ProcessEnv): Promise<AppStores> {
  if (env['REDIS_URL']) {
    return createRedisStores(env['REDIS_URL']);
  }
  const store = new MemoryStore();
  const sessionStore = new session.MemoryStore();
  return {
    store,
    sessionStore,
    close: async () => {
      await store.close();
    },
  };
}
