/** ServiceClient: authorization requests, responses, sessions, TOTP and service webhooks (docs/protocol.md §A2.5). */
import {
  InvalidParameters,
  UnexpectedAPIResponse,
  UnexpectedAuthorizationResponse,
  UnexpectedWebhookRequest,
} from '../errors';
import {
  AdvancedAuthorizationResponse,
  AuthorizationRequest,
  AuthorizationResponse,
  DenialReason,
  SessionEndRequest,
  parseAuthorizationRequest,
} from '../entities/service';
import { requireObject, reqIsoDate, reqString, type JsonObject } from '../entities/schema';
import { AuthPolicy } from '../policies';
import type { Transport } from '../transport/types';
import { emitDeprecation, emitWarningOnce } from '../utils';
import { verifyAndDecodeWebhook, webhookEventKind, type WebhookHeaders } from '../webhooks';
import {
  decodeAuthorizationResponse,
  jweKeyId,
  toAdvancedResponse,
  toLegacyResponse,
  type DecodedAuthorizationResponse,
} from './auth-response-decoder';
import { BaseClient } from './base-client';

/** Options of {@link ServiceClient.authorizationRequest}; omitted keys are not sent. */
export interface AuthorizationRequestOptions {
  /** Text shown to the user (up to 400 characters, server rule). */
  context?: string;
  /** Per-request policy; only {@link AuthPolicy} (including `ServiceSecurityPolicy`) is accepted. */
  policy?: AuthPolicy;
  /** Title shown to the user (up to 200 characters, server rule). */
  title?: string;
  /** Lifetime of the request in seconds (server default 300). */
  ttl?: number;
  /** Push message title (directory services with push credentials only). */
  pushTitle?: string;
  /** Push message body (directory services with push credentials only). */
  pushBody?: string;
  /** Denial reasons offered to the user (at least two, one fraud and one not: server rule). */
  denialReasons?: DenialReason[] | Set<DenialReason>;
}

/** Options of the deprecated {@link ServiceClient.authorize}. */
export type AuthorizeOptions = Omit<AuthorizationRequestOptions, 'denialReasons'>;

/**
 * The events {@link ServiceClient.handleAdvancedWebhook} decodes (it gives null for an encrypted event of an unknown
 * type).
 */
export type ServiceWebhookEvent = SessionEndRequest | AdvancedAuthorizationResponse;

const AUTHS = '/service/v3/auths';
const SESSIONS = '/service/v3/sessions';
const TOTP = '/service/v3/totp';

/** Client of one service (subject `svc:<id>`), made by a factory's `makeServiceClient`. */
export class ServiceClient extends BaseClient {
  /**
   * @param serviceId the service id (UUID, else `InvalidEntityID`)
   * @param transport the factory's transport
   */
  constructor(serviceId: string, transport: Transport) {
    super('svc', serviceId, transport);
  }

  /**
   * Offset of the API clock from the local clock in ms (API minus local), as the transport measured it with its
   * last ping; 0 before the first call or when the transport does not measure it (TS addition). Lets a caller put
   * API times such as `SessionEndRequest.logoutRequested` on the local clock.
   */
  get serverTimeOffsetMs(): number {
    const offset = this.transport.serverTimeOffsetMs;
    return typeof offset === 'number' && Number.isFinite(offset) ? offset : 0;
  }

  /**
   * @deprecated Use {@link authorizationRequest}. Creates an authorization request and returns its id.
   */
  async authorize(user: string, options: AuthorizeOptions = {}): Promise<string> {
    emitDeprecation('ServiceClient.authorize is deprecated; use authorizationRequest');
    return (await this.authorizationRequest(user, options)).authRequest;
  }

  /**
   * Sends an authorization request to the user's devices (`POST /service/v3/auths`).
   * @param user directory user identifier (or, for organization services, a username / user push id)
   * @throws InvalidParameters (bad policy or denial reasons; ARG-001), InvalidPolicyInput, PolicyFailure,
   *   EntityNotFound (unknown user or no linked device), RateLimited, AuthorizationInProgress (busy user; its
   *   `authorizationRequestId`, `expires` and `fromSameService` tell which request blocks)
   */
  async authorizationRequest(user: string, options: AuthorizationRequestOptions = {}): Promise<AuthorizationRequest> {
    const body: JsonObject = { username: user };
    if (options.policy !== undefined && options.policy !== null) {
      if (!(options.policy instanceof AuthPolicy)) throw new InvalidParameters('policy must be an AuthPolicy');
      body['policy'] = options.policy.toJSON();
    }
    if (options.denialReasons !== undefined && options.denialReasons !== null) {
      const reasons: unknown = options.denialReasons;
      if (!Array.isArray(reasons) && !(reasons instanceof Set))
        throw new InvalidParameters('denialReasons must be an array of DenialReason');
      const items = [...(reasons as Iterable<unknown>)];
      if (!items.every((r) => r instanceof DenialReason))
        throw new InvalidParameters('every denial reason must be a DenialReason');
      body['denial_reasons'] = (items as DenialReason[]).map((r) => r.toJSON());
    }
    if (options.context !== undefined) body['context'] = options.context;
    if (options.title !== undefined) body['title'] = options.title;
    if (options.ttl !== undefined) body['ttl'] = options.ttl;
    if (options.pushTitle !== undefined) body['push_title'] = options.pushTitle;
    if (options.pushBody !== undefined) body['push_body'] = options.pushBody;
    const res = await this.transport.post(AUTHS, this.subject, body);
    return parseAuthorizationRequest(res.data);
  }

  private async fetchResponse(authorizationRequestId: string): Promise<DecodedAuthorizationResponse | null> {
    const res = await this.transport.get(`${AUTHS}/${BaseClient.segment(authorizationRequestId)}`, this.subject);
    if (res.statusCode === 204) return null;
    if (res.data === null || res.data === undefined)
      this.unexpected('the authorization response is empty', res.data, res.statusCode);
    return decodeAuthorizationResponse(this.transport, res.data, jweKeyId(res.rawData));
  }

  /**
   * Polls for the user's answer (`GET /service/v3/auths/{id}`): null while there is none (HTTP 204).
   * @throws RequestTimedOut (expired unanswered), AuthorizationRequestCanceled, UnexpectedAPIResponse,
   *   UnexpectedDeviceResponse, UnexpectedKeyID, EntityKeyNotFound
   */
  async getAdvancedAuthorizationResponse(
    authorizationRequestId: string,
  ): Promise<AdvancedAuthorizationResponse | null> {
    const decoded = await this.fetchResponse(authorizationRequestId);
    return decoded === null ? null : toAdvancedResponse(decoded);
  }

  /** @deprecated Use {@link getAdvancedAuthorizationResponse}. Same call, legacy {@link AuthorizationResponse}. */
  async getAuthorizationResponse(authorizationRequestId: string): Promise<AuthorizationResponse | null> {
    emitDeprecation('ServiceClient.getAuthorizationResponse is deprecated; use getAdvancedAuthorizationResponse');
    const decoded = await this.fetchResponse(authorizationRequestId);
    return decoded === null ? null : toLegacyResponse(decoded);
  }

  /**
   * Cancels a pending authorization request (`DELETE /service/v3/auths/{id}`).
   * @throws EntityNotFound, AuthorizationRequestCanceled (already canceled), AuthorizationResponseExists
   */
  async cancelAuthorizationRequest(authorizationRequestId: string): Promise<void> {
    await this.transport.delete(`${AUTHS}/${BaseClient.segment(authorizationRequestId)}`, this.subject);
  }

  /**
   * Records a service session for the user after an approved request (`POST /service/v3/sessions`).
   * `auth_request` is sent as null when absent. @throws EntityNotFound (unknown user)
   */
  async sessionStart(user: string, authorizationRequestId: string | null = null): Promise<void> {
    await this.transport.post(SESSIONS, this.subject, { username: user, auth_request: authorizationRequestId ?? null });
  }

  /** Ends the user's service session (`DELETE /service/v3/sessions`). @throws EntityNotFound (unknown user) */
  async sessionEnd(user: string): Promise<void> {
    await this.transport.delete(SESSIONS, this.subject, { username: user });
  }

  /**
   * Verifies a TOTP code of the user (`POST /service/v3/totp`).
   * @throws EntityNotFound (no TOTP for the user), InvalidParameters
   */
  async verifyTotp(user: string, otp: string): Promise<boolean> {
    const res = await this.transport.post(TOTP, this.subject, { identifier: user, otp });
    const obj = requireObject(res.data, 'TOTP verification');
    const valid = obj['valid'];
    if (typeof valid !== 'boolean')
      this.unexpected('TOTP verification: "valid" must be a boolean', res.data, res.statusCode);
    return valid;
  }

  private async decodeWebhook(body: string | Uint8Array, headers: WebhookHeaders, method: string, path: string) {
    const decoded = await verifyAndDecodeWebhook(this.transport, this.subject, body, headers, method, path);
    const kind = webhookEventKind(decoded);
    if (kind === 'session-end') return { kind, event: parseSessionEnd(decoded.payload) } as const;
    if (kind !== 'authorization-response') {
      emitWarningOnce(`Ignored a service webhook of an unknown type; an SDK update may add support for it`);
      return { kind: 'other' } as const;
    }
    const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
    try {
      return {
        kind,
        event: await decodeAuthorizationResponse(this.transport, decoded.payload, jweKeyId(text)),
      } as const;
    } catch (err) {
      if (err instanceof UnexpectedAPIResponse && err.constructor === UnexpectedAPIResponse) {
        throw new UnexpectedAuthorizationResponse(
          `the authorization response webhook lacks required data: ${err.message}`,
          null,
          err,
          err.data,
        );
      }
      throw err;
    }
  }

  /**
   * Verifies and decodes a service webhook (docs/protocol.md §11.3, §11.4): a {@link SessionEndRequest} (logout from
   * the device) or an {@link AdvancedAuthorizationResponse}; null for an encrypted event of an unknown type
   * (ignored with a warning). Pass the raw body, the headers, the HTTP method and the request path (e.g.
   * `req.originalUrl`). Replays are not detected here: de-duplicate on the verified `jti` of
   * `verifyAndDecodeWebhook` if needed.
   * @throws WebhookAuthorizationError (no X-IOV-JWT), UnexpectedWebhookRequest (JWT invalid, session-end body
   *   invalid), UnableToDecryptWebhookRequest, UnexpectedAuthorizationResponse, UnexpectedDeviceResponse,
   *   UnexpectedKeyID
   */
  async handleAdvancedWebhook(
    body: string | Uint8Array,
    headers: WebhookHeaders,
    method: string,
    path: string,
  ): Promise<ServiceWebhookEvent | null> {
    const r = await this.decodeWebhook(body, headers, method, path);
    if (r.kind === 'other') return null;
    if (r.kind === 'session-end') return r.event;
    return toAdvancedResponse(r.event);
  }

  /** @deprecated Use {@link handleAdvancedWebhook}. Same, with the legacy {@link AuthorizationResponse}. */
  async handleWebhook(
    body: string | Uint8Array,
    headers: WebhookHeaders,
    method: string,
    path: string,
  ): Promise<SessionEndRequest | AuthorizationResponse | null> {
    emitDeprecation('ServiceClient.handleWebhook is deprecated; use handleAdvancedWebhook');
    const r = await this.decodeWebhook(body, headers, method, path);
    if (r.kind === 'other') return null;
    if (r.kind === 'session-end') return r.event;
    return toLegacyResponse(r.event);
  }
}

/** Session-end body `{service_user_hash, api_time}` (`AuthorizeSSEValidator`); failures: `UnexpectedWebhookRequest`. */
function parseSessionEnd(payload: unknown): SessionEndRequest {
  try {
    const obj = requireObject(payload, 'session end');
    return new SessionEndRequest(
      reqString(obj, 'service_user_hash', 'session end', 1),
      reqIsoDate(obj, 'api_time', 'session end'),
    );
  } catch (err) {
    throw new UnexpectedWebhookRequest(
      `the session-end webhook body is invalid: ${err instanceof Error ? err.message : String(err)}`,
      null,
      err,
    );
  }
}
