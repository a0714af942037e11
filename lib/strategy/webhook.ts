/**
 * The webhook middleware for the service callback URL: raw body (bounded, no inflation), verification by the SDK,
 * replay protection on the JWT `jti`, authorization responses stored and published, session ends turned into
 * remote-logout markers. 204 only after the store accepted the data; a webhook id is remembered only then.
 */
import { BodyTooLargeError, readBody } from '../sdk/read-body';
import { createHash } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { isJsonObject } from '../sdk/entities/schema';
import { WebhookAuthorizationError } from '../sdk/errors';
import { headerValue } from '../sdk/transport/api-jwt';
import { isWebhookRejection } from '../sdk/webhooks';
import { TruValidateStrategyError, fromStore, invalidOption } from './errors';
import { emitEvent, type TruValidateEvent } from './events';
import type { ResolvedOptions } from './options';
import { resultFromResponse } from './profile';
import { PENDING_GRACE_MS, resultTtlMs } from './login-start';
import type { PendingLogin } from './stores/store';

/** Options of `strategy.webhook()`. */
export interface WebhookOptions {
  /** Largest body accepted (bytes); larger bodies get 413. Default: 65536. */
  limit?: number;
  /** How long a webhook id is remembered to refuse replays (ms). Default: 600000 (10 minutes). */
  replayTtlMs?: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readRawBody(req: Request, limit: number): Promise<Buffer> {
  const parsed = (req as { body?: unknown }).body;
  if (Buffer.isBuffer(parsed)) return Promise.resolve(parsed);
  if (typeof parsed === 'string') return Promise.resolve(Buffer.from(parsed, 'utf8'));
  if (
    req.readableEnded ||
    (parsed !== undefined && parsed !== null && typeof parsed === 'object' && Object.keys(parsed).length > 0)
  ) {
    return Promise.reject(
      new HttpError(
        500,
        'The webhook body was already consumed: mount strategy.webhook() before body parsers (or use express.raw())',
      ),
    );
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').toString().toLowerCase();
  if (encoding !== 'identity')
    return Promise.reject(new HttpError(415, `Content-Encoding ${encoding} is not accepted`));
  const declared = Number(req.headers['content-length'] ?? '0');
  if (Number.isFinite(declared) && declared > limit)
    return Promise.reject(new HttpError(413, `The webhook body is larger than ${limit} bytes`));
  return readBody(req, limit).catch((err: unknown) => {
    if (err instanceof BodyTooLargeError) throw new HttpError(413, `The webhook body is larger than ${limit} bytes`);
    throw new HttpError(400, `The webhook body could not be read: ${(err as Error).message}`);
  });
}

/** The answers of refused webhooks: what was refused, never why verification failed (that goes to debug). */
const REJECTED: Record<number, string> = {
  400: 'The webhook was rejected.',
  401: 'The webhook was rejected.',
  405: 'The webhook was rejected: use POST.',
  413: 'The webhook was rejected: the body is too large.',
  415: 'The webhook was rejected: the body must not be encoded.',
};

/** The event of a stored webhook (no JWT, no key, no user hash). */
function acceptedEvent(event: WebhookEvent): TruValidateEvent {
  if (event?.kind === 'authorization-response') {
    return { type: 'webhook-accepted', reason: 'authorization-response', authRequestId: event.authorizationRequestId };
  }
  if (event?.kind === 'session-end')
    return { type: 'webhook-accepted', reason: 'session-end (remote logout marker stored)' };
  return { type: 'webhook-accepted', reason: 'other (ignored)' };
}

/** The id of a verified webhook: its JWT `jti`, else the SHA-256 of the whole `X-IOV-JWT`. */
export function webhookId(req: Request): string {
  const jwt = (headerValue(req.headers, 'x-iov-jwt') ?? '').trim();
  try {
    const claims: unknown = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));
    if (isJsonObject(claims) && typeof claims['jti'] === 'string' && claims['jti'] !== '')
      return `jti:${claims['jti']}`;
  } catch {
    // fall through to the hash
  }
  return `jwt:${createHash('sha256').update(jwt).digest('hex')}`;
}

function requestPath(req: Request): string {
  return (req.originalUrl || req.url).split('?')[0] as string;
}

type WebhookEvent = Awaited<ReturnType<ResolvedOptions['client']['handleAdvancedWebhook']>>;

/** API times (`api_time`) have whole-second precision: the event happened within this many ms after its time. */
const API_TIME_PRECISION_MS = 999;

/**
 * When the user logged out, on the local clock (ms): the event's `logoutRequested` (API time) moved to the local
 * clock by the client's measured API clock offset, never later than now. API times have
 * whole-second precision, so the latest instant of that second is taken: every session from before the phone
 * logout is logged out (fail closed), while a session-end delivered late (an API retry) leaves alone a login made
 * since (from about two seconds after the logout, the precision of the time and of the measured offset).
 */
export function logoutTime(opts: ResolvedOptions, logoutRequested: Date, now = Date.now()): number {
  const at = logoutRequested.getTime() + API_TIME_PRECISION_MS - opts.client.serverTimeOffsetMs;
  return Number.isFinite(at) ? Math.min(at, now) : now;
}

/**
 * Stores what a verified webhook carries: a login result (published) or a remote-logout marker. `pending` is the
 * pending login of an authorization response, read with the replay check.
 */
async function storeEffect(opts: ResolvedOptions, event: WebhookEvent, pending: PendingLogin | null): Promise<void> {
  if (event?.kind === 'session-end') {
    const at = logoutTime(opts, event.logoutRequested);
    await fromStore('markLoggedOut', () => opts.store.markLoggedOut(event.serviceUserHash, at, opts.logoutMarkerTtlMs));
  } else if (event?.kind === 'authorization-response') {
    const id = event.authorizationRequestId;
    const ttl = pending ? resultTtlMs(pending.expiresAt) : PENDING_GRACE_MS;
    await fromStore('putResult', () => opts.store.putResult(id, resultFromResponse(event), ttl));
  }
}

/** Builds the handler of `strategy.webhook()`. */
export function webhookHandler(opts: ResolvedOptions, options: WebhookOptions): RequestHandler {
  const limit = options.limit ?? 65_536;
  const replayTtlMs = options.replayTtlMs ?? 600_000;
  if (!Number.isInteger(limit) || limit <= 0) throw invalidOption('webhook: limit must be a positive integer of bytes');
  if (!Number.isInteger(replayTtlMs) || replayTtlMs <= 0)
    throw invalidOption('webhook: replayTtlMs must be a positive integer of ms');
  return (req: Request, res: Response, next: NextFunction): void => {
    const run = async (): Promise<void> => {
      if (req.method !== 'POST') throw new HttpError(405, `method ${req.method} (webhooks are POST requests)`);
      const body = await readRawBody(req, limit);
      let event: WebhookEvent;
      try {
        event = await opts.client.handleAdvancedWebhook(body, req.headers, req.method, requestPath(req));
      } catch (err) {
        if (err instanceof WebhookAuthorizationError) throw new HttpError(401, err.message);
        if (isWebhookRejection(err)) throw new HttpError(400, err.message);
        throw err;
      }
      // Replay cache: checked before the effect is stored and written only after the store took it, so a replay
      // of a stored webhook changes nothing (a session end must not move the logout marker to the replay's time)
      // while a retry of a copy the store refused (answered 5xx) is stored.
      const id = webhookId(req);
      // The replay check and the read of the pending login go out together (one round trip on Redis).
      const [seen, pending] = await Promise.all([
        fromStore('isSeen', () => opts.store.isSeen(id)),
        event?.kind === 'authorization-response'
          ? fromStore('getPending', () => opts.store.getPending(event.authorizationRequestId))
          : null,
      ]);
      if (!seen) {
        await storeEffect(opts, event, pending);
        await fromStore('markSeen', () => opts.store.markSeen(id, replayTtlMs));
        emitEvent(opts, acceptedEvent(event));
      } else {
        emitEvent(opts, { type: 'webhook-accepted', reason: 'replay (already stored: nothing changed)' });
      }
      res.status(204).end();
    };
    run().catch((err: unknown) => {
      if (err instanceof HttpError) {
        emitEvent(opts, { type: 'webhook-rejected', reason: `${err.status} ${err.message}` });
        if (err.status >= 500) {
          opts.log('TruValidate webhook rejected', err);
          res.status(err.status).set('Cache-Control', 'no-store').json({ error: err.message });
          return;
        }
        // The detail (why verification failed) goes to the debug log only: a forger learns nothing from the answer.
        if (err.status === 405) res.set('Allow', 'POST');
        res
          .status(err.status)
          .set('Cache-Control', 'no-store')
          .json({ error: 'rejected', message: REJECTED[err.status] ?? REJECTED[400] });
        return;
      }
      if (err instanceof TruValidateStrategyError && !res.headersSent) {
        // The store failed (typed, 503): the API retries the webhook later, and the retry is stored.
        emitEvent(opts, { type: 'webhook-rejected', reason: `${err.status} ${err.code}` });
        opts.log('TruValidate webhook not stored', err);
        res.status(err.status).set('Cache-Control', 'no-store').json({ error: err.message, code: err.code });
        return;
      }
      emitEvent(opts, {
        type: 'webhook-rejected',
        reason: `500 ${err instanceof Error ? err.name : 'error'} while storing`,
      });
      opts.log('TruValidate webhook failed', err);
      if (res.headersSent) {
        next(err);
        return;
      }
      res.status(500).json({ error: 'The webhook could not be processed' });
    });
  };
}
