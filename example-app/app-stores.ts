/** The shape of the example app's stores, apart from how they are made (`stores.ts`, `redis-stores.ts`). */
import type session from 'express-session';
import type { TruValidateStore } from 'passport-truvalidate';
import type { AccountStore } from './accounts';

/** The stores the example needs: the strategy's store, the session store of express-session, the accounts. */
export interface AppStores {
  /** Pending logins, results, replay cache, remote-logout markers. */
  store: TruValidateStore;
  /** Browser sessions. */
  sessionStore: session.Store;
  /** Which names are taken (see `accounts.ts`). */
  accounts: AccountStore;
  /** Releases them all (timers, connections). */
  close(): Promise<void>;
}
