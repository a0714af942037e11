import type { DirectoryClient, ServiceClient } from 'passport-truvalidate/sdk';
import type { AccountStore } from './accounts';
import type { LinkTracker } from './link-tracker';

/** What the route modules share: the SDK clients, the link tracker and a few settings. */
export interface AppDeps {
  serviceClient: ServiceClient;
  /** Null when no directory credentials are configured (sign up, devices and TOTP setup are then unavailable). */
  directoryClient: DirectoryClient | null;
  linkTracker: LinkTracker;
  /** Which names are taken (see `accounts.ts`). */
  accounts: AccountStore;
  /** The one username normaliser, used by sign-up, login, devices and TOTP alike. */
  normalizeUsername: (raw: string) => string;
  /** URL of the emulator's device simulator page, or null against the real API. */
  simulatorUrl: string | null;
  /** Validity of device linking codes in seconds. */
  linkTtlSeconds: number;
  /** Name shown by authenticator apps for TOTP secrets. */
  totpIssuer: string;
  /** Where errors worth a look are written. */
  log: (line: string) => void;
}
