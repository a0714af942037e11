/**
 * `passport-truvalidate/emulator`: a local emulator of the TruValidate v3 API with a simulated phone
 * (docs/emulator.md).
 */
export { startEmulator, type Emulator, type EmulatorOptions } from './emulator';
export { EmulatorClock } from './clock';
export { EmulatorOptionError, EmulatorStartError, type EmulatorErrorCode } from './errors';
export { ApiError } from './api-error';
export { Router, type Route, type RouteContext, type RouteResult, type RouteMatch } from './router';
export type { EmulatorRuntime } from './runtime';
export { EmulatorState, type EntityRecord } from './state/state';
export type * from './state/types';
export { parseEntity, entityString } from './state/entities';
export {
  sendWebhook,
  sendEncryptedWebhook,
  type WebhookDelivery,
  type WebhookMessage,
  type WebhookKind,
} from './webhooks';
export type { ApiKeyIds } from './domain/api-keys';
