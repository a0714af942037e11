/**
 * Waits for the user's answer to an authorization request by polling, with the request's TTL as the limit, and
 * draws a live countdown on stderr when stderr is a terminal.
 */
import type { ServiceClient } from '../../sdk/clients/service-client';
import type { AdvancedAuthorizationResponse } from '../../sdk/entities/service';
import { AuthorizationRequestCanceled, RequestTimedOut } from '../../sdk/errors';
import type { OutStream } from '../output';

/** How the wait ended. */
export type WaitOutcome =
  | { kind: 'answered'; response: AdvancedAuthorizationResponse }
  | { kind: 'expired' }
  | { kind: 'canceled' }
  | { kind: 'interrupted' };

/** Options of {@link waitForAnswer}. */
export interface WaitOptions {
  /** The request's lifetime in seconds; the wait gives up `graceMs` after it. */
  ttlSeconds: number;
  /** Where the countdown goes (drawn only when `isTTY`). */
  stderr: OutStream;
  /** Time between polls. Default 1000 ms. */
  pollMs?: number;
  /** Extra time after the TTL before the wait reports the request expired by itself. Default 5000 ms. */
  graceMs?: number;
  /** Ends the wait early (outcome `interrupted`), e.g. on Ctrl-C; a poll in flight finishes first. */
  signal?: AbortSignal;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * Polls `getAdvancedAuthorizationResponse` until the user answers, the API says the request expired (408,
 * `RequestTimedOut`) or was canceled (`AuthorizationRequestCanceled`), the TTL plus the grace has passed, or
 * `signal` aborts. Other errors propagate.
 */
export async function waitForAnswer(
  client: ServiceClient,
  authRequest: string,
  options: WaitOptions,
): Promise<WaitOutcome> {
  const pollMs = options.pollMs ?? 1000;
  const start = Date.now();
  const expiresAt = start + options.ttlSeconds * 1000;
  const giveUpAt = expiresAt + (options.graceMs ?? 5000);
  const live = options.stderr.isTTY === true;
  const aborted = (): boolean => options.signal?.aborted === true;
  const draw = (): void => {
    if (live)
      options.stderr.write(`\r\x1b[KWaiting for the user's answer: ${clock((expiresAt - Date.now()) / 1000)} left`);
  };
  try {
    for (;;) {
      if (aborted()) return { kind: 'interrupted' };
      draw();
      let response: AdvancedAuthorizationResponse | null;
      try {
        response = await client.getAdvancedAuthorizationResponse(authRequest);
      } catch (err) {
        if (err instanceof RequestTimedOut) return { kind: 'expired' };
        if (err instanceof AuthorizationRequestCanceled) return { kind: 'canceled' };
        throw err;
      }
      if (response !== null) return { kind: 'answered', response };
      if (aborted()) return { kind: 'interrupted' };
      const left = giveUpAt - Date.now();
      if (left <= 0) return { kind: 'expired' };
      await sleep(Math.min(pollMs, left), options.signal);
    }
  } finally {
    if (live) options.stderr.write('\r\x1b[K');
  }
}
