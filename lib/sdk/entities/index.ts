/**
 * Barrel of lib/sdk/entities (docs/protocol.md §A3.1 to §A3.3). Exports the entity classes; the parse functions are
 * internal (clients import them from the modules).
 */
export { KeyType, PublicKey } from './shared';
export type { PublicKeyData } from './shared';
export {
  Device,
  DeviceLinkCompletionResponse,
  DeviceStatus,
  Directory,
  DirectoryUserDeviceLinkData,
  DirectoryUserTOTP,
  Session,
} from './directory';
export type {
  DeviceData,
  DeviceLinkCompletionData,
  DeviceStatusName,
  DirectoryData,
  DirectoryUserDeviceLinkDataData,
  DirectoryUserTOTPData,
  SessionData,
} from './directory';
export { Service } from './service-entity';
export type { ServiceData } from './service-entity';
export {
  AdvancedAuthorizationResponse,
  AuthMethod,
  AuthMethodType,
  AuthResponseReason,
  AuthResponseType,
  AuthorizationRequest,
  AuthorizationResponse,
  DenialReason,
  SessionEndRequest,
} from './service';
export type { AdvancedAuthorizationResponseInit, AuthorizationResponseInit } from './service';
