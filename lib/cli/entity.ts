/**
 * The credential the command acts with: ENTITY_TYPE, ENTITY_ID and PRIVATE_KEY_FILE (or an entity of the
 * emulator's credentials file), the extra `-k` keys and the API URL; and the SDK factory and clients made from it.
 */
import type { DirectoryClient } from '../sdk/clients/directory-client';
import type { ServiceClient } from '../sdk/clients/service-client';
import { LAUNCHKEY_PRODUCTION } from '../sdk/constants';
import { InvalidPrivateKey } from '../sdk/errors';
import { DirectoryFactory } from '../sdk/factories/directory-factory';
import { OrganizationFactory } from '../sdk/factories/organization-factory';
import { ServiceFactory } from '../sdk/factories/service-factory';
import { parseUuid } from '../sdk/utils';
import { readCredentials } from './credentials';
import type { EntityType } from './entity-type';
import { CliUsageError } from './errors';
import { readTextFile } from './files';
import type { OutStream } from './output';
import type { RunRequest } from './parse';

/** A PEM private key and where it came from (for messages). */
export interface KeySource {
  pem: string;
  source: string;
}

/** Everything needed to make the SDK factory. */
export interface EntityConfig {
  type: EntityType;
  /** The entity id (lower-case UUID). */
  id: string;
  /** Signs requests and decrypts answers. */
  privateKey: KeySource;
  /** Extra decryption keys (`-k`). */
  extraKeys: KeySource[];
  /** The API base URL. */
  url: string;
  /**
   * The SERVICE_ID and DIRECTORY_ID used when a command leaves them out: the entity's own id for its own kind
   * and, with `--credentials`, the file's service and directory; null when the id must be given.
   */
  implied: { service: string | null; directory: string | null };
}

/**
 * Reads the key files (or the credentials file) and checks the entity id.
 * @throws CliUsageError for a bad UUID or a missing or unreadable file
 */
export function loadEntityConfig(request: RunRequest): EntityConfig {
  const extraKeys = request.keyFiles.map((file) => ({ pem: readTextFile(file, 'key file'), source: file }));
  if (request.credentials !== undefined) {
    const creds = readCredentials(request.credentials);
    const own = creds[request.entityType];
    const id = parseUuid(own.id);
    if (id === null)
      throw new CliUsageError(
        `the ${request.entityType} id in ${request.credentials} is not a UUID: ${JSON.stringify(own.id)}`,
      );
    return {
      type: request.entityType,
      id,
      privateKey: { pem: own.privateKey, source: `the ${request.entityType} key in ${request.credentials}` },
      extraKeys,
      url: request.api ?? creds.url,
      implied: {
        service: request.entityType === 'service' ? id : creds.service.id,
        directory:
          request.entityType === 'service' ? null : request.entityType === 'directory' ? id : creds.directory.id,
      },
    };
  }
  const id = parseUuid(request.entityId);
  if (id === null) throw new CliUsageError(`ENTITY_ID must be a UUID, got ${JSON.stringify(request.entityId)}`);
  const file = request.privateKeyFile as string;
  return {
    type: request.entityType,
    id,
    privateKey: { pem: readTextFile(file, 'private key file'), source: file },
    extraKeys,
    url: request.api ?? LAUNCHKEY_PRODUCTION,
    implied: {
      service: request.entityType === 'service' ? id : null,
      directory: request.entityType === 'directory' ? id : null,
    },
  };
}

type Factory = ServiceFactory | DirectoryFactory | OrganizationFactory;

function withKey<T>(key: KeySource, make: () => T): T {
  try {
    return make();
  } catch (err) {
    if (err instanceof InvalidPrivateKey) {
      throw new CliUsageError(
        `${key.source} is not a usable private key (a PEM RSA key of 2048 bits or more): ${err.message}`,
        { cause: err },
      );
    }
    throw err;
  }
}

/** The SDK factory of the credential, and the clients it may make. */
export class Entity {
  private readonly factory: Factory;

  /**
   * Makes the factory and adds the extra keys; warns on `warn` when an extra key is the private key itself.
   * @throws CliUsageError when a key is not a usable PEM RSA private key
   */
  constructor(
    readonly config: EntityConfig,
    warn: OutStream,
  ) {
    const { type, id, privateKey, url } = config;
    const Factory = type === 'service' ? ServiceFactory : type === 'directory' ? DirectoryFactory : OrganizationFactory;
    this.factory = withKey(privateKey, () => new Factory(id, privateKey.pem, { url }));
    for (const key of config.extraKeys) {
      if (key.pem.trim() === privateKey.pem.trim())
        warn.write(`truvalidate: warning: the key file ${key.source} is the private key itself\n`);
      withKey(key, () => this.factory.addEncryptionPrivateKey(key.pem));
    }
  }

  /** A client acting for `serviceId` (a Service credential acts only for itself: checked by the caller). */
  serviceClient(serviceId: string): ServiceClient {
    const f = this.factory;
    return f instanceof ServiceFactory ? f.makeServiceClient() : f.makeServiceClient(serviceId);
  }

  /** A client acting for `directoryId`. @throws CliUsageError for a Service credential */
  directoryClient(directoryId: string): DirectoryClient {
    const f = this.factory;
    if (f instanceof ServiceFactory) throw new CliUsageError('a Service credential cannot run directory commands');
    return f instanceof DirectoryFactory ? f.makeDirectoryClient() : f.makeDirectoryClient(directoryId);
  }
}
