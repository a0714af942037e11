/** BaseFactory: the shared construction and key handling of the three factories (docs/protocol.md §A1.1-§A1.3). */
import { LAUNCHKEY_PRODUCTION, type IssuerType } from '../constants';
import { InvalidIssuerFormat } from '../errors';
import { JOSETransport } from '../transport/jose-transport';
import type { Transport } from '../transport/types';
import { emitDeprecation, parseUuid } from '../utils';

/** Options of every factory. */
export interface FactoryOptions {
  /** API base URL. Default `https://api.launchkey.com` (`LAUNCHKEY_PRODUCTION`); the emulator URL locally. */
  url?: string;
  /** When true, TLS certificate verification is disabled (local use only). Default false. */
  testing?: boolean;
  /** A pre-configured transport. Default a new `JOSETransport()` with its defaults. */
  transport?: Transport;
}

/** A client class a factory makes: built from a subject id and the factory's transport. */
type ClientClass<C> = new (subjectId: string, transport: Transport) => C;

/**
 * Base of `OrganizationFactory`, `DirectoryFactory` and `ServiceFactory`. Construction, in order: the entity id
 * must be a UUID (`InvalidIssuerFormat`); the transport is the given one or a new `JOSETransport`; its URL is
 * set; the issuer is set with the private key as signing key (`InvalidIssuer`, `InvalidEntityID`,
 * `InvalidPrivateKey` for a bad PEM or an RSA key under 2048 bits); the same key is added as a decryption key.
 * Every client a factory makes shares its transport and keys.
 */
export abstract class BaseFactory {
  /** The factory's entity id (lower-case UUID). */
  protected readonly entityId: string;
  /** The transport shared by every client this factory makes. */
  protected readonly transport: Transport;

  protected constructor(issuerType: IssuerType, entityId: string, privateKey: string, options: FactoryOptions = {}) {
    const id = parseUuid(entityId);
    if (!id) throw new InvalidIssuerFormat(`the ${issuerType} id must be a UUID, got ${JSON.stringify(entityId)}`);
    this.entityId = id;
    this.transport = options.transport ?? new JOSETransport();
    this.transport.setUrl(options.url ?? LAUNCHKEY_PRODUCTION, options.testing ?? false);
    this.transport.setIssuer(issuerType, id, privateKey);
    this.transport.addEncryptionPrivateKey(privateKey);
  }

  /** A new `Client` for `subjectId` (default: the factory's own entity id) on the shared transport. */
  protected clientFor<C>(Client: ClientClass<C>, subjectId: string = this.entityId): C {
    return new Client(subjectId, this.transport);
  }

  /**
   * Registers an extra decryption-only private key (single-purpose keys, key rotation). A key already held is
   * ignored; signing always uses the constructor key. @throws InvalidPrivateKey
   */
  addEncryptionPrivateKey(privateKey: string): void {
    this.transport.addEncryptionPrivateKey(privateKey);
  }

  /** @deprecated Use {@link addEncryptionPrivateKey}; same behaviour, warns once. */
  addAdditionalPrivateKey(privateKey: string): void {
    emitDeprecation('addAdditionalPrivateKey is deprecated; use addEncryptionPrivateKey');
    this.addEncryptionPrivateKey(privateKey);
  }
}
