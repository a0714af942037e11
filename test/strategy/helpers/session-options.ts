/**
 * The express-session options of the strategy's test app (test/strategy/helpers/app.ts), shared with the
 * benchmark's framework-floor app (bench/fixtures/framework-app.ts) so that both run the same session middleware.
 * The store is given by each app.
 */
import type { SessionOptions } from 'express-session';

/** Cookie name, secret, and no session saved or resaved unless it changed. */
export const TEST_SESSION_OPTIONS: Omit<SessionOptions, 'store'> = {
  name: 'test.sid',
  secret: 'strategy tests',
  resave: false,
  saveUninitialized: false,
};
