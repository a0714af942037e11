/** Barrel of the JOSE transport. */
export * from './types';
export { ApiErrorResponse } from './api-error-response';
export { keyId } from './keys';
export { JOSETransport } from './jose-transport';
export type { JOSETransportOptions } from './options';
export {
  HttpTransport,
  HTTP_ADAPTERS,
  USER_AGENT,
  type HttpAdapter,
  type HttpResult,
  type HttpTransportOptions,
} from './http-transport';
