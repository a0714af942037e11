/**
 * Webhook verification and decoding shared by `ServiceClient.handleAdvancedWebhook` and
 * `DirectoryClient.handleWebhook` (docs/protocol.md §11.3, §11.4). Replay protection is the application's concern: the
 * verified `jti` is returned so that it can be de-duplicated.
 */
import { isJsonObject } from './entities/schema';
import {
  EntityKeyNotFound,
  LaunchKeyAPIException,
  UnableToDecryptWebhookRequest,
  UnexpectedAuthorizationResponse,
  UnexpectedDeviceResponse,
  UnexpectedKeyID,
  UnexpectedWebhookRequest,
  WebhookAuthorizationError,
} from './errors';
import { headerValue } from './transport/api-jwt';
import { isCompactJwe } from './transport/jose-primitives';
import type { Transport, VerifiedApiJwt } from './transport/types';

/** Node-style header record (values may be arrays), as Express and `node:http` give them. */
export type WebhookHeaders = Record<string, string | string[] | undefined>;

/** A verified webhook. */
export interface DecodedWebhook {
  /** The verified `X-IOV-JWT` claims. */
  claims: VerifiedApiJwt;
  /** The verified `jti` (null when absent), for replay de-duplication by the application. */
  jti: string | null;
  /** True for an encrypted (JWE) body, false for a plain JSON body (session end). */
  encrypted: boolean;
  /** The parsed JSON of the body (decrypted first when `encrypted`). */
  payload: unknown;
}

/** The event a webhook carries (docs/protocol.md §11.4). `other`: an encrypted event of an unknown type (ignored). */
export type WebhookEventKind = 'authorization-response' | 'device-link-completion' | 'session-end' | 'other';

const decoder = new TextDecoder('utf-8', { fatal: true });

function bodyText(body: string | Uint8Array): string {
  if (typeof body === 'string') return body;
  try {
    return decoder.decode(body);
  } catch (err) {
    throw new UnexpectedWebhookRequest('the webhook body is not UTF-8 text', null, err);
  }
}

/**
 * Verifies a webhook and decodes its body.
 *
 * 1. `X-IOV-JWT` (any case) is required, else `WebhookAuthorizationError`.
 * 2. The JWT is checked by `transport.verifyJwtRequest` against `subject`, `method`, `path` (a query string is
 *    dropped) and the raw body; any failure is `UnexpectedWebhookRequest` wrapping the cause.
 * 3. A body whose `Content-Type` starts with `application/jose`, or which is a compact JWE, is decrypted (failure:
 *    `UnableToDecryptWebhookRequest`); otherwise it is plain JSON. Non-JSON text is `UnexpectedWebhookRequest`.
 *
 * @param transport the client's transport (its issuer is the expected `aud`)
 * @param subject the expected `sub` (`svc:<id>` or `dir:<id>`)
 * @param body the raw request body, exactly as received
 * @param headers the request headers
 * @param method the HTTP method of the webhook request
 * @param path the request path (e.g. Express `req.originalUrl`)
 */
export async function verifyAndDecodeWebhook(
  transport: Transport,
  subject: string,
  body: string | Uint8Array,
  headers: WebhookHeaders,
  method: string,
  path: string,
): Promise<DecodedWebhook> {
  const jwt = headerValue(headers, 'x-iov-jwt');
  if (jwt === undefined || jwt.trim() === '')
    throw new WebhookAuthorizationError('the webhook has no X-IOV-JWT header');
  if (typeof method !== 'string' || method === '' || typeof path !== 'string' || path === '') {
    throw new UnexpectedWebhookRequest('the webhook method and path are required to verify it');
  }
  const requestPath = path.split('?')[0] as string;
  let claims: VerifiedApiJwt;
  try {
    claims = await transport.verifyJwtRequest(jwt.trim(), subject, method, requestPath, body);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new UnexpectedWebhookRequest(`the webhook failed verification: ${detail}`, null, err);
  }
  const text = bodyText(body);
  const contentType = (headerValue(headers, 'content-type') ?? '').trim().toLowerCase();
  const encrypted = contentType.startsWith('application/jose') || isCompactJwe(text);
  let plaintext = text;
  if (encrypted) {
    try {
      plaintext = await transport.decryptResponse(text.trim());
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      throw new UnableToDecryptWebhookRequest(`the webhook body cannot be decrypted: ${detail}`, null, err);
    }
  }
  let payload: unknown;
  try {
    payload = JSON.parse(plaintext) as unknown;
  } catch (err) {
    throw new UnexpectedWebhookRequest(`the webhook ${encrypted ? 'plaintext' : 'body'} is not JSON`, null, err);
  }
  const jti = typeof claims.jti === 'string' ? claims.jti : null;
  return { claims, jti, encrypted, payload };
}

/** Classifies a decoded webhook (docs/protocol.md §11.4 b-e). */
export function webhookEventKind(decoded: Pick<DecodedWebhook, 'encrypted' | 'payload'>): WebhookEventKind {
  if (!decoded.encrypted) return 'session-end';
  const type = isJsonObject(decoded.payload) ? decoded.payload['type'] : undefined;
  if (type === 'DEVICE_LINK_COMPLETION') return 'device-link-completion';
  if (type === undefined || type === null || type === 'AUTHORIZATION_RESPONSE') return 'authorization-response';
  return 'other';
}

/**
 * True for the errors that mean "this webhook is not acceptable" (answer 4xx, not 5xx): missing or invalid
 * `X-IOV-JWT`, undecryptable or malformed bodies, device packages for keys this client does not hold.
 */
export function isWebhookRejection(err: unknown): err is LaunchKeyAPIException {
  return (
    err instanceof WebhookAuthorizationError ||
    err instanceof UnexpectedWebhookRequest ||
    err instanceof UnableToDecryptWebhookRequest ||
    err instanceof UnexpectedAuthorizationResponse ||
    err instanceof UnexpectedDeviceResponse ||
    err instanceof UnexpectedKeyID ||
    err instanceof EntityKeyNotFound
  );
}
