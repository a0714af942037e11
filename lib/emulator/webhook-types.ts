/** The records of webhook delivery: what is sent and what the log keeps. */

/** Kinds of webhooks the emulator sends. */
export type WebhookKind = 'authorization_response' | 'session_end' | 'device_link_completion';

/** One delivery attempt, as recorded in the webhook log. */
export interface WebhookDelivery {
  url: string;
  kind: WebhookKind;
  /** HTTP status the receiver answered, or null when the delivery failed (`error` says why). */
  status: number | null;
  error?: string;
  /** ISO time (emulator clock) of the attempt. */
  time: string;
  aud: string;
  sub: string;
}

/** A webhook to send; `body` is the exact body (JWE compact string or plain JSON text). */
export interface WebhookMessage {
  url: string;
  kind: WebhookKind;
  /** `aud` of the webhook JWT: the credential entity string of the receiver. */
  aud: string;
  /** `sub`: `svc:<id>` or `dir:<id>`. */
  sub: string;
  body: string;
  contentType: 'application/jose' | 'application/json';
}
