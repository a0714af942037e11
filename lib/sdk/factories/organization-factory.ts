/** OrganizationFactory: credentials of an organization (issuer `org:<id>`). */
import { DirectoryClient } from '../clients/directory-client';
import { OrganizationClient } from '../clients/organization-client';
import { ServiceClient } from '../clients/service-client';
import { BaseFactory, type FactoryOptions } from './base-factory';

/** Factory for an organization credential; acts for the organization, its directories and all their services. */
export class OrganizationFactory extends BaseFactory {
  /**
   * @param organizationId the organization id (UUID, else `InvalidIssuerFormat`)
   * @param privateKey PEM RSA private key (>= 2048 bits, else `InvalidPrivateKey`)
   * @param options `url` (default production), `testing` (default false), `transport`
   */
  constructor(organizationId: string, privateKey: string, options: FactoryOptions = {}) {
    super('org', organizationId, privateKey, options);
  }

  /** The organization's client (issuer and subject `org:<organizationId>`). */
  makeOrganizationClient(): OrganizationClient {
    return this.clientFor(OrganizationClient);
  }

  /** A client of one of the organization's directories (subject `dir:<directoryId>`). */
  makeDirectoryClient(directoryId: string): DirectoryClient {
    return this.clientFor(DirectoryClient, directoryId);
  }

  /** A client of a service of the organization or of one of its directories (subject `svc:<serviceId>`). */
  makeServiceClient(serviceId: string): ServiceClient {
    return this.clientFor(ServiceClient, serviceId);
  }
}
