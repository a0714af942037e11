/**
 * DirectoryClient: users, devices, sessions, TOTP and directory webhooks, plus directory services
 * (docs/protocol.md §A2.4).
 */
import {
  parseDevice,
  parseDeviceLinkCompletion,
  parseDeviceLinkData,
  parseDirectoryUserTotp,
  parseSession,
  type Device,
  type DeviceLinkCompletionResponse,
  type DirectoryUserDeviceLinkData,
  type DirectoryUserTOTP,
  type Session,
} from '../entities/directory';
import { LaunchKeyAPIException } from '../errors';
import type { Transport } from '../transport/types';
import { emitWarningOnce } from '../utils';
import { verifyAndDecodeWebhook, type WebhookHeaders } from '../webhooks';
import { ServiceManagingBaseClient } from './service-managing-base-client';

const DIR = '/directory/v3';

/** Warned once when a directory webhook carries no device link completion. */
const UNKNOWN_WEBHOOK_WARNING = 'Invalid directory webhook received, an SDK update may add support for it';

/** Client for a directory (subject `dir:<id>`); `{services}` is `/directory/v3/services`. */
export class DirectoryClient extends ServiceManagingBaseClient {
  /**
   * @param directoryId directory id (UUID, else `InvalidEntityID`)
   * @param transport the factory's transport
   */
  constructor(directoryId: string, transport: Transport) {
    super('dir', directoryId, transport, `${DIR}/services`);
  }

  /**
   * Starts linking a device for a user (the user is created when new).
   * @param options.ttl validity of the linking code in seconds (server default when omitted)
   * @throws InvalidParameters, InvalidDirectoryIdentifier (DIR-001)
   */
  async linkDevice(userId: string, options: { ttl?: number } = {}): Promise<DirectoryUserDeviceLinkData> {
    const body: Record<string, unknown> = { identifier: userId };
    if (options.ttl !== undefined) body['ttl'] = options.ttl;
    const response = await this.transport.post(`${DIR}/devices`, this.subject, body);
    return parseDeviceLinkData(response.data);
  }

  /**
   * The user's devices (an unknown user has none).
   * @throws InvalidParameters, InvalidDeviceStatus (unknown status code)
   */
  async getLinkedDevices(userId: string): Promise<Device[]> {
    return this.postForList(`${DIR}/devices/list`, { identifier: userId }, parseDevice, 'devices');
  }

  /**
   * Unlinks (removes) a device of a user, pending ones included.
   * @throws InvalidParameters, EntityNotFound (unknown user or device)
   */
  async unlinkDevice(userId: string, deviceId: string): Promise<void> {
    await this.transport.delete(`${DIR}/devices`, this.subject, { identifier: userId, device_id: deviceId });
  }

  /**
   * Ends every service session of a user.
   * @throws InvalidParameters, EntityNotFound (unknown user)
   */
  async endAllServiceSessions(userId: string): Promise<void> {
    await this.transport.delete(`${DIR}/sessions`, this.subject, { identifier: userId });
  }

  /**
   * The user's open service sessions.
   * @throws InvalidParameters, EntityNotFound (unknown user)
   */
  async getAllServiceSessions(userId: string): Promise<Session[]> {
    return this.postForList(`${DIR}/sessions/list`, { identifier: userId }, parseSession, 'sessions');
  }

  /**
   * Creates or replaces the user's TOTP secret.
   * @throws InvalidParameters
   */
  async generateUserTotp(userId: string): Promise<DirectoryUserTOTP> {
    const response = await this.transport.post(`${DIR}/totp`, this.subject, { identifier: userId });
    return parseDirectoryUserTotp(response.data);
  }

  /**
   * Removes the user's TOTP secret (succeeds when there is none).
   * @throws InvalidParameters
   */
  async removeUserTotp(userId: string): Promise<void> {
    await this.transport.delete(`${DIR}/totp`, this.subject, { identifier: userId });
  }

  /**
   * Verifies and decodes a directory webhook (device link completion). `body` is the raw request body, `path` the
   * request path without query string. An unknown payload warns once and gives `null`.
   * @throws WebhookAuthorizationError (no `X-IOV-JWT`), UnexpectedWebhookRequest (JWT invalid, non-JSON plaintext),
   *   UnableToDecryptWebhookRequest (body JWE cannot be decrypted)
   */
  async handleWebhook(
    body: string | Uint8Array,
    headers: WebhookHeaders,
    method: string,
    path: string,
  ): Promise<DeviceLinkCompletionResponse | null> {
    const decoded = await verifyAndDecodeWebhook(this.transport, this.subject, body, headers, method, path);
    if (decoded.payload === null || decoded.payload === undefined || !decoded.encrypted) {
      emitWarningOnce(UNKNOWN_WEBHOOK_WARNING);
      return null;
    }
    try {
      return parseDeviceLinkCompletion(decoded.payload);
    } catch (error) {
      if (!(error instanceof LaunchKeyAPIException)) throw error;
      emitWarningOnce(UNKNOWN_WEBHOOK_WARNING);
      return null;
    }
  }
}
