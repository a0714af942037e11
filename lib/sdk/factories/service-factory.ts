/** ServiceFactory: credentials of one service (issuer `svc:<id>`). */
import { ServiceClient } from '../clients/service-client';
import { BaseFactory, type FactoryOptions } from './base-factory';

/** Factory for a service credential; makes only its own {@link ServiceClient}. */
export class ServiceFactory extends BaseFactory {
  /**
   * @param serviceId the service id (UUID, else `InvalidIssuerFormat`)
   * @param privateKey PEM RSA private key (>= 2048 bits, else `InvalidPrivateKey`)
   * @param options `url` (default production), `testing` (default false), `transport`
   */
  constructor(serviceId: string, privateKey: string, options: FactoryOptions = {}) {
    super('svc', serviceId, privateKey, options);
  }

  /** The client of this service (issuer and subject `svc:<serviceId>`). */
  makeServiceClient(): ServiceClient {
    return this.clientFor(ServiceClient);
  }
}
