// services.ts: create a service with a callback URL and its own key, and give it an advanced policy.
// DirectoryClient manages the directory's services (its users can log in to them); OrganizationClient has the
// same methods for organization services.
import { generateKeyPairSync } from 'node:crypto';
import {
  ConditionalGeoFencePolicy,
  DirectoryFactory,
  FactorsPolicy,
  GeoCircleFence,
  MethodAmountPolicy,
  ServiceFactory,
  TerritoryFence,
  type AdvancedServicePolicy,
  type ServiceClient,
} from 'passport-truvalidate/sdk';

export interface NewService {
  serviceId: string;
  client: ServiceClient;
  policy: AdvancedServicePolicy;
}

export async function createServiceWithPolicy(
  url: string,
  directory: { id: string; privateKey: string },
  callbackUrl: string,
): Promise<NewService> {
  const admin = new DirectoryFactory(directory.id, directory.privateKey, { url }).makeDirectoryClient();

  // The service receives authorization responses and session ends at callbackUrl (see "Webhooks").
  const serviceId = await admin.createService('Shop', { description: 'The web shop', callbackUrl });

  // Its own key pair: register the public key, keep the private key for a ServiceFactory.
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  await admin.addServicePublicKey(serviceId, publicPem);

  // Inside the fences: any two methods; elsewhere: a biometric and a knowledge factor.
  const policy = new ConditionalGeoFencePolicy(
    new MethodAmountPolicy({ amount: 2 }),
    new FactorsPolicy({ inherenceRequired: true, knowledgeRequired: true }),
    {
      fences: [
        new GeoCircleFence(52.52, 13.405, 5000, 'Berlin office'),
        new TerritoryFence('US', { administrativeArea: 'US-CA', name: 'California' }),
      ],
      denyRootedJailbroken: true,
    },
  );
  await admin.setAdvancedServicePolicy(serviceId, policy);

  return {
    serviceId,
    client: new ServiceFactory(serviceId, privatePem, { url }).makeServiceClient(),
    policy: await admin.getAdvancedServicePolicy(serviceId), // a ConditionalGeoFencePolicy again
  };
}
