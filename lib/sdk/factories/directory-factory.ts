/** DirectoryFactory: credentials of one directory (issuer `dir:<id>`). */
import { DirectoryClient } from '../clients/directory-client';
import { ServiceClient } from '../clients/service-client';
import { BaseFactory, type FactoryOptions } from './base-factory';

/** Factory for a directory credential; makes its own DirectoryClient and clients of its services. */
export class DirectoryFactory extends BaseFactory {
  /**
   * @param directoryId the directory id (UUID, else `InvalidIssuerFormat`)
   * @param privateKey PEM RSA private key (>= 2048 bits, else `InvalidPrivateKey`)
   * @param options `url` (default production), `testing` (default false), `transport`
   */
  constructor(directoryId: string, privateKey: string, options: FactoryOptions = {}) {
    super('dir', directoryId, privateKey, options);
  }

  /** The client of this directory (issuer and subject `dir:<directoryId>`). */
  makeDirectoryClient(): DirectoryClient {
    return this.clientFor(DirectoryClient);
  }

  /** A client of one of this directory's services (issuer `dir:<directoryId>`, subject `svc:<serviceId>`). */
  makeServiceClient(serviceId: string): ServiceClient {
    return this.clientFor(ServiceClient, serviceId);
  }
}
