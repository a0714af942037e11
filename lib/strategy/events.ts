/**
 * Every decision of the strategy, told twice: as a `debug` line (`DEBUG=passport-truvalidate:*`; namespaces
 * `passport-truvalidate:strategy` and `passport-truvalidate:webhook`) and to the app's `onEvent` option. Neither
 * ever carries a secret: no keys, tokens, binding values, session ids, webhook JWTs nor TOTP codes.
 */
import createDebug from 'debug';

/** The kinds of {@link TruValidateEvent}. */
export type TruValidateEventType =
  /** A push was sent (a real authorization request). */
  | 'started'
  /** A start was answered like a real one but nothing was sent (`reason`: `unknown_user`, `no_device`). */
  | 'decoyed'
  /** A start or a TOTP attempt was over a limit (`reason`: `client_limit`, `push_limit`, `totp_limit`); 429. */
  | 'limited'
  /** A request was refused before anything happened (`reason`: `cross_site`, `invalid_username`, `busy`, ...). */
  | 'refused'
  /** A start from the session that already waits for that login resumed it (no second push). */
  | 'resumed'
  /** A user was logged in (`reason`: `push` or `totp`). */
  | 'completed'
  /** A login ended without a user (`reason`: denied, fraud, expired, canceled, invalid_otp, verify_rejected...). */
  | 'failed'
  /** A webhook was verified and stored (`reason`: `authorization-response`, `session-end`, `replay`, `other`). */
  | 'webhook-accepted'
  /** A webhook was refused (`reason`: why, e.g. the SDK's verification message; never the JWT). */
  | 'webhook-rejected'
  /** A session was logged out because the user ended the session on the phone. */
  | 'remote-logout';

/** One decision of the strategy (the `onEvent` option receives it; the debug line says the same). */
export interface TruValidateEvent {
  /** What happened. */
  type: TruValidateEventType;
  /** The username (after `normalizeUsername`), when the decision concerns one. */
  username?: string;
  /** Why, as a short token or sentence (see {@link TruValidateEventType}). */
  reason?: string;
  /** The authorization request id, when there is one (decoys have their own id, never a real one). */
  authRequestId?: string;
}

/** Receives every {@link TruValidateEvent}; it must not throw (a throw is logged and ignored). */
export type TruValidateEventListener = (event: TruValidateEvent) => void;

const strategyDebug = createDebug('passport-truvalidate:strategy');
const webhookDebug = createDebug('passport-truvalidate:webhook');

function line(event: TruValidateEvent): string {
  const parts: string[] = [event.type];
  if (event.username !== undefined) parts.push(`user=${JSON.stringify(event.username)}`);
  if (event.authRequestId !== undefined) parts.push(`authRequestId=${event.authRequestId}`);
  if (event.reason !== undefined) parts.push(`reason=${event.reason}`);
  return parts.join(' ');
}

/** What {@link emitEvent} needs of the options. */
export interface EventSink {
  onEvent: TruValidateEventListener | null;
  log: (message: string, error?: unknown) => void;
}

/** Tells an event: the debug line (webhook events under `:webhook`), then `onEvent` (whose errors are logged). */
export function emitEvent(sink: EventSink, event: TruValidateEvent): void {
  (event.type.startsWith('webhook-') ? webhookDebug : strategyDebug)('%s', line(event));
  if (!sink.onEvent) return;
  try {
    sink.onEvent({ ...event });
  } catch (err) {
    sink.log('TruValidate onEvent listener threw', err);
  }
}
