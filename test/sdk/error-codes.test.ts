/**
 * The SDK's error codes are explicit string literals of the exported union `LaunchKeyErrorCode`, listed here one
 * by one: each class has its own, they are unique, and they do not depend on class names (a minifier renaming a
 * class, or a subclass under another name, keeps the code).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sdk from '../../lib/sdk';
import { LAUNCHKEY_ERROR_CODES, LaunchKeyError, UnexpectedAPIResponse, type LaunchKeyErrorCode } from '../../lib/sdk';

/** Every error class of the SDK and its code, written out. */
const CODES: Record<string, LaunchKeyErrorCode> = {
  InsufficientRights: 'ERR_TRUVALIDATE_INSUFFICIENT_RIGHTS',
  InvalidEntityID: 'ERR_TRUVALIDATE_INVALID_ENTITY_ID',
  InvalidPrivateKey: 'ERR_TRUVALIDATE_INVALID_PRIVATE_KEY',
  InvalidIssuer: 'ERR_TRUVALIDATE_INVALID_ISSUER',
  InvalidIssuerFormat: 'ERR_TRUVALIDATE_INVALID_ISSUER_FORMAT',
  InvalidIssuerVersion: 'ERR_TRUVALIDATE_INVALID_ISSUER_VERSION',
  InvalidAlgorithm: 'ERR_TRUVALIDATE_INVALID_ALGORITHM',
  InvalidPolicyFormat: 'ERR_TRUVALIDATE_INVALID_POLICY_FORMAT',
  DuplicateGeoFenceName: 'ERR_TRUVALIDATE_DUPLICATE_GEO_FENCE_NAME',
  InvalidGeoFenceName: 'ERR_TRUVALIDATE_INVALID_GEO_FENCE_NAME',
  InvalidFenceType: 'ERR_TRUVALIDATE_INVALID_FENCE_TYPE',
  DuplicateTimeFenceName: 'ERR_TRUVALIDATE_DUPLICATE_TIME_FENCE_NAME',
  InvalidTimeFenceName: 'ERR_TRUVALIDATE_INVALID_TIME_FENCE_NAME',
  InvalidTimeFenceStartTime: 'ERR_TRUVALIDATE_INVALID_TIME_FENCE_START_TIME',
  InvalidTimeFenceEndTime: 'ERR_TRUVALIDATE_INVALID_TIME_FENCE_END_TIME',
  MismatchedTimeFenceTimezones: 'ERR_TRUVALIDATE_MISMATCHED_TIME_FENCE_TIMEZONES',
  UnknownPolicyException: 'ERR_TRUVALIDATE_UNKNOWN_POLICY_EXCEPTION',
  InvalidPolicyAttributes: 'ERR_TRUVALIDATE_INVALID_POLICY_ATTRIBUTES',
  LaunchKeyAPIException: 'ERR_TRUVALIDATE_LAUNCH_KEY_API_EXCEPTION',
  InvalidParameters: 'ERR_TRUVALIDATE_INVALID_PARAMETERS',
  InvalidRoute: 'ERR_TRUVALIDATE_INVALID_ROUTE',
  ServiceNameTaken: 'ERR_TRUVALIDATE_SERVICE_NAME_TAKEN',
  InvalidPolicyInput: 'ERR_TRUVALIDATE_INVALID_POLICY_INPUT',
  PolicyFailure: 'ERR_TRUVALIDATE_POLICY_FAILURE',
  ServiceNotFound: 'ERR_TRUVALIDATE_SERVICE_NOT_FOUND',
  AuthorizationInProgress: 'ERR_TRUVALIDATE_AUTHORIZATION_IN_PROGRESS',
  AuthorizationResponseExists: 'ERR_TRUVALIDATE_AUTHORIZATION_RESPONSE_EXISTS',
  AuthorizationRequestCanceled: 'ERR_TRUVALIDATE_AUTHORIZATION_REQUEST_CANCELED',
  InvalidDirectoryIdentifier: 'ERR_TRUVALIDATE_INVALID_DIRECTORY_IDENTIFIER',
  InvalidPublicKey: 'ERR_TRUVALIDATE_INVALID_PUBLIC_KEY',
  PublicKeyAlreadyInUse: 'ERR_TRUVALIDATE_PUBLIC_KEY_ALREADY_IN_USE',
  PublicKeyDoesNotExist: 'ERR_TRUVALIDATE_PUBLIC_KEY_DOES_NOT_EXIST',
  LastRemainingKey: 'ERR_TRUVALIDATE_LAST_REMAINING_KEY',
  DirectoryNameInUse: 'ERR_TRUVALIDATE_DIRECTORY_NAME_IN_USE',
  LastRemainingSDKKey: 'ERR_TRUVALIDATE_LAST_REMAINING_SDK_KEY',
  InvalidSDKKey: 'ERR_TRUVALIDATE_INVALID_SDK_KEY',
  Unauthorized: 'ERR_TRUVALIDATE_UNAUTHORIZED',
  Forbidden: 'ERR_TRUVALIDATE_FORBIDDEN',
  EntityNotFound: 'ERR_TRUVALIDATE_ENTITY_NOT_FOUND',
  RequestTimedOut: 'ERR_TRUVALIDATE_REQUEST_TIMED_OUT',
  Conflict: 'ERR_TRUVALIDATE_CONFLICT',
  RateLimited: 'ERR_TRUVALIDATE_RATE_LIMITED',
  ServerError: 'ERR_TRUVALIDATE_SERVER_ERROR',
  UnexpectedAPIResponse: 'ERR_TRUVALIDATE_UNEXPECTED_API_RESPONSE',
  UnexpectedDeviceResponse: 'ERR_TRUVALIDATE_UNEXPECTED_DEVICE_RESPONSE',
  InvalidDeviceStatus: 'ERR_TRUVALIDATE_INVALID_DEVICE_STATUS',
  JWTValidationFailure: 'ERR_TRUVALIDATE_JWT_VALIDATION_FAILURE',
  InvalidJWTResponse: 'ERR_TRUVALIDATE_INVALID_JWT_RESPONSE',
  UnexpectedKeyID: 'ERR_TRUVALIDATE_UNEXPECTED_KEY_ID',
  NoIssuerKey: 'ERR_TRUVALIDATE_NO_ISSUER_KEY',
  EntityKeyNotFound: 'ERR_TRUVALIDATE_ENTITY_KEY_NOT_FOUND',
  UnexpectedWebhookRequest: 'ERR_TRUVALIDATE_UNEXPECTED_WEBHOOK_REQUEST',
  UnableToDecryptWebhookRequest: 'ERR_TRUVALIDATE_UNABLE_TO_DECRYPT_WEBHOOK_REQUEST',
  UnableToDecryptAuthorizationResponse: 'ERR_TRUVALIDATE_UNABLE_TO_DECRYPT_AUTHORIZATION_RESPONSE',
  UnexpectedAuthorizationResponse: 'ERR_TRUVALIDATE_UNEXPECTED_AUTHORIZATION_RESPONSE',
  WebhookAuthorizationError: 'ERR_TRUVALIDATE_WEBHOOK_AUTHORIZATION_ERROR',
  XiovJWTValidationFailure: 'ERR_TRUVALIDATE_XIOV_JWT_VALIDATION_FAILURE',
  XiovJWTDecryptionFailure: 'ERR_TRUVALIDATE_XIOV_JWT_DECRYPTION_FAILURE',
};

type ErrorClass = new (message?: string) => LaunchKeyError;

test('every error class has its code from the list, and LAUNCHKEY_ERROR_CODES is that list', () => {
  assert.deepEqual([...LAUNCHKEY_ERROR_CODES].sort(), Object.values(CODES).sort());
  assert.equal(new Set(LAUNCHKEY_ERROR_CODES).size, LAUNCHKEY_ERROR_CODES.length, 'codes are unique');
  for (const [name, code] of Object.entries(CODES)) {
    const Class = (sdk as unknown as Record<string, ErrorClass>)[name];
    assert.equal(typeof Class, 'function', `${name} is exported`);
    const error = new Class('m');
    assert.ok(error instanceof LaunchKeyError);
    assert.equal(error.code, code, name);
  }
});

test('every exported LaunchKeyError subclass is in the list', () => {
  const exported = Object.entries(sdk as unknown as Record<string, unknown>)
    .filter(([, v]) => typeof v === 'function' && (v as { prototype: unknown }).prototype instanceof LaunchKeyError)
    .map(([k]) => k)
    .sort();
  assert.deepEqual(exported, Object.keys(CODES).sort());
});

test('codes do not come from class names: a renamed class keeps its code', () => {
  const Renamed = { X: class extends UnexpectedAPIResponse {} }.X;
  Object.defineProperty(UnexpectedAPIResponse, 'name', { value: 'a' });
  try {
    assert.equal(new UnexpectedAPIResponse('m').code, 'ERR_TRUVALIDATE_UNEXPECTED_API_RESPONSE');
    assert.equal(new Renamed('m').code, 'ERR_TRUVALIDATE_UNEXPECTED_API_RESPONSE');
  } finally {
    Object.defineProperty(UnexpectedAPIResponse, 'name', { value: 'UnexpectedAPIResponse' });
  }
});
