/**
 * The TruValidate session of a login (`sessionStart` after the login, `sessionEnd` at logout). `sessionStart` runs
 * in the background: the browser's answer does not wait for it (it is a whole signed API call, about half of the
 * time from the phone's approval to the browser's answer). A logout in the same process waits for the user's
 * `sessionStart` still in flight before calling `sessionEnd`, so that the two reach the API in order.
 */
import type { ResolvedOptions } from './options';
import type { SessionLogin } from './session-data';

/** In-flight `sessionStart` calls by username, per strategy configuration. */
const inFlight = new WeakMap<ResolvedOptions, Map<string, Promise<void>>>();

function callsOf(opts: ResolvedOptions): Map<string, Promise<void>> {
  let calls = inFlight.get(opts);
  if (!calls) {
    calls = new Map();
    inFlight.set(opts, calls);
  }
  return calls;
}

/**
 * Starts `sessionStart` for `login` and returns at once. A failure is logged (the device approved: the login stands;
 * only the device's session list misses it).
 */
export function startSessionInBackground(opts: ResolvedOptions, login: SessionLogin): void {
  const calls = callsOf(opts);
  const previous = calls.get(login.username) ?? Promise.resolve();
  const call = previous
    .then(() => opts.client.sessionStart(login.username, login.authRequestId))
    .catch((err: unknown) => {
      opts.log(`TruValidate sessionStart failed for ${JSON.stringify(login.username)}`, err);
    })
    .finally(() => {
      if (calls.get(login.username) === call) calls.delete(login.username);
    });
  calls.set(login.username, call);
}

/** Resolves once no `sessionStart` of `username` started by this process is in flight. */
export function sessionStarted(opts: ResolvedOptions, username: string): Promise<void> {
  return inFlight.get(opts)?.get(username) ?? Promise.resolve();
}
