// custom-transport.ts: a JOSETransport with non-default options, shared by every client of the factory.
import { JOSETransport, ServiceFactory, type ServiceClient } from 'passport-truvalidate/sdk';

export function serviceClientWithPythonDefaults(
  url: string,
  service: { id: string; privateKey: string },
): ServiceClient {
  const transport = new JOSETransport({
    jwtAlgorithm: 'RS512', // the Python SDK's request signature
    jweCekEncryption: 'RSA-OAEP', // the Python SDK's body encryption (no cty header)
    timeoutMs: 10_000,
  });
  return new ServiceFactory(service.id, service.privateKey, { url, transport }).makeServiceClient();
}
