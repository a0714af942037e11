// Barrel of the Passport layer.
export * from './stores/store';
export { MemoryStore, type MemoryStoreOptions } from './stores/memory';
export { TruValidateStrategy, type TruValidateAuthenticateOptions, type PendingAnswer } from './strategy';
export type {
  PushLimit,
  RequestValue,
  TruValidateStrategyOptions,
  TruValidateStrategyOptionsBase,
  TruValidateStrategyOptionsWithRequest,
} from './options';
export { TruValidateStrategyError, type TruValidateStrategyErrorCode } from './errors';
export { crossSiteGuard, type CrossSiteOptions } from './cross-site';
export { caselessUsername, trimUsername } from './username';
export type { TruValidateEvent, TruValidateEventListener, TruValidateEventType } from './events';
export type { TruValidateProfile, TruValidateFailure } from './profile';
export type {
  VerifyCallback,
  VerifyCallbackWithRequest,
  VerifyDone,
  VerifyFunction,
  VerifyFunctionWithRequest,
  VerifyPromise,
  VerifyPromiseWithRequest,
  VerifiedUser,
} from './verify';
export type { StatusAnswer, StatusOptions } from './status';
export type { WaitingLogin } from './pending-login';
export type { WebhookOptions } from './webhook';
export type { SessionGuardOptions } from './session-guard';
export type { SessionLogin } from './session-data';
