/**
 * OrganizationClient: directories, directory keys and SDK keys, plus organization services (docs/protocol.md §A2.3).
 */
import { parseDirectory, type Directory } from '../entities/directory';
import type { PublicKey } from '../entities/shared';
import type { Transport } from '../transport/types';
import { base64Mime, providedFields, type AddPublicKeyOptions, type UpdatePublicKeyOptions } from './management-bodies';
import { ServiceManagingBaseClient } from './service-managing-base-client';

const ORG = '/organization/v3';

/**
 * Options of {@link OrganizationClient.updateDirectory}: only provided keys are sent; `null` clears the value
 * (`iosP12: null` clears the certificate fingerprint).
 */
export interface UpdateDirectoryOptions {
  /** Password-less PKCS#12 file with the APNs certificate; sent base64-encoded, MIME style. */
  iosP12?: Uint8Array | null;
  /** Firebase/GCM server key for Android push. */
  androidKey?: string | null;
  active?: boolean;
  /** Whether services of the directory may send denial reasons with authorization requests. */
  denialContextInquiryEnabled?: boolean;
  /** URL that receives the directory's webhooks (device link completion). */
  webhookUrl?: string | null;
}

/** Wire names of the {@link UpdateDirectoryOptions} keys. */
const DIRECTORY_UPDATE_FIELDS = {
  iosP12: 'ios_p12',
  androidKey: 'android_key',
  active: 'active',
  denialContextInquiryEnabled: 'denial_context_inquiry_enabled',
  webhookUrl: 'webhook_url',
} as const;

/** Client for an organization (subject `org:<id>`); `{services}` is `/organization/v3/services`. */
export class OrganizationClient extends ServiceManagingBaseClient {
  /**
   * @param organizationId organization id (UUID, else `InvalidEntityID`)
   * @param transport the factory's transport
   */
  constructor(organizationId: string, transport: Transport) {
    super('org', organizationId, transport, `${ORG}/services`);
  }

  /**
   * Creates a directory.
   * @returns the new directory id
   * @throws DirectoryNameInUse (ORG-003), InvalidParameters
   */
  async createDirectory(name: string): Promise<string> {
    const response = await this.transport.post(`${ORG}/directories`, this.subject, { name });
    return this.readString(response.data, 'id', response.statusCode);
  }

  /** Every directory of the organization. */
  async getAllDirectories(): Promise<Directory[]> {
    const response = await this.transport.get(`${ORG}/directories`, this.subject);
    return this.readList(response.data, parseDirectory, 'directories', response.statusCode);
  }

  /**
   * The directories with the given ids (the whole call fails when one is unknown or foreign).
   * @throws InvalidParameters, Forbidden
   */
  async getDirectories(directoryIds: string[]): Promise<Directory[]> {
    return this.postForList(
      `${ORG}/directories/list`,
      { directory_ids: directoryIds.map(String) },
      parseDirectory,
      'directories',
    );
  }

  /**
   * One directory.
   * @throws InvalidParameters, Forbidden, UnexpectedAPIResponse (empty answer)
   */
  async getDirectory(directoryId: string): Promise<Directory> {
    return this.onlyItem(await this.getDirectories([directoryId]), 'directory', directoryId);
  }

  /**
   * Updates a directory: only the provided options are sent; `null` clears.
   * @throws InvalidParameters, Forbidden (unknown directory)
   */
  async updateDirectory(directoryId: string, options: UpdateDirectoryOptions): Promise<void> {
    const iosP12 =
      options.iosP12 === undefined || options.iosP12 === null ? options.iosP12 : base64Mime(options.iosP12);
    const body = { directory_id: directoryId, ...providedFields({ ...options, iosP12 }, DIRECTORY_UPDATE_FIELDS) };
    await this.transport.patch(`${ORG}/directories`, this.subject, body);
  }

  /**
   * The public keys of a directory.
   * @throws InvalidParameters, Forbidden
   */
  async getDirectoryPublicKeys(directoryId: string): Promise<PublicKey[]> {
    return this.listKeys(`${ORG}/directory/keys`, { directory_id: directoryId });
  }

  /**
   * Registers a public key for a directory.
   * @returns the key id
   * @throws InvalidParameters, InvalidPublicKey, PublicKeyAlreadyInUse, Forbidden
   */
  async addDirectoryPublicKey(directoryId: string, publicKey: string, options?: AddPublicKeyOptions): Promise<string> {
    return this.addKey(`${ORG}/directory/keys`, { directory_id: directoryId }, publicKey, options);
  }

  /**
   * Removes a public key of a directory.
   * @throws InvalidParameters, PublicKeyDoesNotExist, LastRemainingKey, Forbidden
   */
  async removeDirectoryPublicKey(directoryId: string, keyId: string): Promise<void> {
    await this.removeKey(`${ORG}/directory/keys`, { directory_id: directoryId }, keyId);
  }

  /**
   * Updates a public key of a directory (`expires: null` removes the expiry).
   * @throws InvalidParameters, PublicKeyDoesNotExist, Forbidden
   */
  async updateDirectoryPublicKey(directoryId: string, keyId: string, options?: UpdatePublicKeyOptions): Promise<void> {
    await this.updateKey(`${ORG}/directory/keys`, { directory_id: directoryId }, keyId, options);
  }

  /**
   * Generates a new authenticator SDK key for a directory.
   * @returns the new SDK key
   * @throws InvalidParameters, Forbidden
   */
  async generateAndAddDirectorySdkKey(directoryId: string): Promise<string> {
    const response = await this.transport.post(`${ORG}/directory/sdk-keys`, this.subject, {
      directory_id: directoryId,
    });
    return this.readString(response.data, 'sdk_key', response.statusCode);
  }

  /**
   * Removes an SDK key of a directory.
   * @throws InvalidParameters, LastRemainingSDKKey (ORG-005), InvalidSDKKey (ORG-006), Forbidden
   */
  async removeDirectorySdkKey(directoryId: string, sdkKey: string): Promise<void> {
    await this.transport.delete(`${ORG}/directory/sdk-keys`, this.subject, {
      directory_id: directoryId,
      sdk_key: sdkKey,
    });
  }

  /**
   * The SDK keys of a directory.
   * @throws InvalidParameters, EntityNotFound, Forbidden, UnexpectedAPIResponse (not an array of strings)
   */
  async getAllDirectorySdkKeys(directoryId: string): Promise<string[]> {
    const response = await this.transport.post(`${ORG}/directory/sdk-keys/list`, this.subject, {
      directory_id: directoryId,
    });
    return this.readList(
      response.data,
      (item) => {
        if (typeof item !== 'string')
          this.unexpected('An SDK key in the API answer is not a string', response.data, response.statusCode);
        return item;
      },
      'SDK keys',
      response.statusCode,
    );
  }
}
