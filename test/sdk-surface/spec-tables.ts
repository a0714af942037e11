/**
 * Expected public names and values of the SDK surface, as Appendix A of docs/protocol.md lists them (§A1.5, §A3,
 * §A4, §A5 and §A6). The conformance test in naming.test.ts checks the SDK against these tables, and
 * test/docs/protocol-doc.test.ts checks that the appendix names every one of them; keep them in step with the
 * documented surface, never with the code.
 */

/** docs/protocol.md §A1.5: exported constants and their exact values. */
export const CONSTANTS: Readonly<Record<string, unknown>> = {
  SDK_VERSION: '4.0.1',
  LAUNCHKEY_PRODUCTION: 'https://api.launchkey.com',
  VALID_JWT_ISSUER_LIST: ['svc', 'dir', 'org'],
  // The Python SDK allows only RSA-OAEP; this SDK sends RSA-OAEP-256 by default with RSA-OAEP configurable and reads
  // both (docs/protocol.md §5.2, §13 OP-2), so both are listed.
  JOSE_SUPPORTED_JWE_ALGS: ['RSA-OAEP', 'RSA-OAEP-256'],
  JOSE_SUPPORTED_JWE_ENCS: ['A256CBC-HS512'],
  JOSE_SUPPORTED_JWT_ALGS: ['RS256', 'RS384', 'RS512'],
  JOSE_SUPPORTED_CONTENT_HASH_ALGS: ['S256', 'S384', 'S512'],
  JOSE_AUDIENCE: 'lka',
  JOSE_JWT_LEEWAY: 30,
  API_CACHE_TIME: 300,
};

/** docs/protocol.md §A5: direct subclasses of `LaunchKeyError`, with the stable `code` each must carry. */
export const NON_API_ERRORS: Readonly<Record<string, string>> = {
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
};

/**
 * docs/protocol.md §A5: subclasses of `LaunchKeyAPIException`, with their stable `code` and, where the table gives one,
 * the API error code or HTTP status that maps to them (docs/protocol.md §A2.1).
 */
export const API_ERRORS: Readonly<Record<string, { code: string; apiCode?: string; status?: number }>> = {
  InvalidParameters: { code: 'ERR_TRUVALIDATE_INVALID_PARAMETERS', apiCode: 'ARG-001' },
  InvalidRoute: { code: 'ERR_TRUVALIDATE_INVALID_ROUTE', apiCode: 'ARG-002' },
  ServiceNameTaken: { code: 'ERR_TRUVALIDATE_SERVICE_NAME_TAKEN', apiCode: 'SVC-001' },
  InvalidPolicyInput: { code: 'ERR_TRUVALIDATE_INVALID_POLICY_INPUT', apiCode: 'SVC-002' },
  PolicyFailure: { code: 'ERR_TRUVALIDATE_POLICY_FAILURE', apiCode: 'SVC-003' },
  ServiceNotFound: { code: 'ERR_TRUVALIDATE_SERVICE_NOT_FOUND', apiCode: 'SVC-004' },
  AuthorizationInProgress: { code: 'ERR_TRUVALIDATE_AUTHORIZATION_IN_PROGRESS', apiCode: 'SVC-005' },
  AuthorizationResponseExists: { code: 'ERR_TRUVALIDATE_AUTHORIZATION_RESPONSE_EXISTS', apiCode: 'SVC-006' },
  AuthorizationRequestCanceled: { code: 'ERR_TRUVALIDATE_AUTHORIZATION_REQUEST_CANCELED', apiCode: 'SVC-007' },
  InvalidDirectoryIdentifier: { code: 'ERR_TRUVALIDATE_INVALID_DIRECTORY_IDENTIFIER', apiCode: 'DIR-001' },
  InvalidPublicKey: { code: 'ERR_TRUVALIDATE_INVALID_PUBLIC_KEY', apiCode: 'KEY-001' },
  PublicKeyAlreadyInUse: { code: 'ERR_TRUVALIDATE_PUBLIC_KEY_ALREADY_IN_USE', apiCode: 'KEY-002' },
  PublicKeyDoesNotExist: { code: 'ERR_TRUVALIDATE_PUBLIC_KEY_DOES_NOT_EXIST', apiCode: 'KEY-003' },
  LastRemainingKey: { code: 'ERR_TRUVALIDATE_LAST_REMAINING_KEY', apiCode: 'KEY-004' },
  DirectoryNameInUse: { code: 'ERR_TRUVALIDATE_DIRECTORY_NAME_IN_USE', apiCode: 'ORG-003' },
  LastRemainingSDKKey: { code: 'ERR_TRUVALIDATE_LAST_REMAINING_SDK_KEY', apiCode: 'ORG-005' },
  InvalidSDKKey: { code: 'ERR_TRUVALIDATE_INVALID_SDK_KEY', apiCode: 'ORG-006' },
  Unauthorized: { code: 'ERR_TRUVALIDATE_UNAUTHORIZED', status: 401 },
  Forbidden: { code: 'ERR_TRUVALIDATE_FORBIDDEN', status: 403 },
  EntityNotFound: { code: 'ERR_TRUVALIDATE_ENTITY_NOT_FOUND', status: 404 },
  RequestTimedOut: { code: 'ERR_TRUVALIDATE_REQUEST_TIMED_OUT', status: 408 },
  Conflict: { code: 'ERR_TRUVALIDATE_CONFLICT', status: 409 },
  RateLimited: { code: 'ERR_TRUVALIDATE_RATE_LIMITED', status: 429 },
  UnexpectedAPIResponse: { code: 'ERR_TRUVALIDATE_UNEXPECTED_API_RESPONSE' },
  UnexpectedDeviceResponse: { code: 'ERR_TRUVALIDATE_UNEXPECTED_DEVICE_RESPONSE' },
  InvalidDeviceStatus: { code: 'ERR_TRUVALIDATE_INVALID_DEVICE_STATUS' },
  JWTValidationFailure: { code: 'ERR_TRUVALIDATE_JWT_VALIDATION_FAILURE' },
  InvalidJWTResponse: { code: 'ERR_TRUVALIDATE_INVALID_JWT_RESPONSE' },
  UnexpectedKeyID: { code: 'ERR_TRUVALIDATE_UNEXPECTED_KEY_ID' },
  NoIssuerKey: { code: 'ERR_TRUVALIDATE_NO_ISSUER_KEY' },
  EntityKeyNotFound: { code: 'ERR_TRUVALIDATE_ENTITY_KEY_NOT_FOUND' },
  UnexpectedWebhookRequest: { code: 'ERR_TRUVALIDATE_UNEXPECTED_WEBHOOK_REQUEST' },
  UnableToDecryptWebhookRequest: { code: 'ERR_TRUVALIDATE_UNABLE_TO_DECRYPT_WEBHOOK_REQUEST' },
  UnableToDecryptAuthorizationResponse: { code: 'ERR_TRUVALIDATE_UNABLE_TO_DECRYPT_AUTHORIZATION_RESPONSE' },
  UnexpectedAuthorizationResponse: { code: 'ERR_TRUVALIDATE_UNEXPECTED_AUTHORIZATION_RESPONSE' },
  WebhookAuthorizationError: { code: 'ERR_TRUVALIDATE_WEBHOOK_AUTHORIZATION_ERROR' },
  XiovJWTValidationFailure: { code: 'ERR_TRUVALIDATE_XIOV_JWT_VALIDATION_FAILURE' },
  XiovJWTDecryptionFailure: { code: 'ERR_TRUVALIDATE_XIOV_JWT_DECRYPTION_FAILURE' },
};

/**
 * Error classes the TS SDK adds beyond those of §A5, each extending `LaunchKeyAPIException`. `ServerError`: HTTP 5xx
 * (docs/protocol.md §A1.5 says 5xx throws a `LaunchKeyAPIException` with the status; the subclass keeps that true).
 */
export const TS_ADDED_API_ERRORS: Readonly<Record<string, string>> = {
  ServerError: 'ERR_TRUVALIDATE_SERVER_ERROR',
};

/**
 * docs/protocol.md §A3.1 and §A3.3: enums and their members (numeric values for `KeyType`, the member name otherwise).
 */
export const KEY_TYPE_MEMBERS: Readonly<Record<string, number>> = { BOTH: 0, ENCRYPTION: 1, SIGNATURE: 2, OTHER: -1 };
export const STRING_ENUMS: Readonly<Record<string, readonly string[]>> = {
  AuthResponseType: ['AUTHORIZED', 'DENIED', 'FAILED', 'OTHER'],
  AuthResponseReason: [
    'APPROVED',
    'DISAPPROVED',
    'FRAUDULENT',
    'POLICY',
    'PERMISSION',
    'AUTHENTICATION',
    'CONFIGURATION',
    'BUSY_LOCAL',
    'SENSOR',
    'OTHER',
  ],
  AuthMethodType: ['PIN_CODE', 'CIRCLE_CODE', 'GEOFENCING', 'LOCATIONS', 'WEARABLES', 'FINGERPRINT', 'FACE', 'OTHER'],
  Requirement: ['AMOUNT', 'TYPES', 'COND_GEO', 'OTHER'],
};

/** docs/protocol.md §A6: classes exported from the package root (enums and abstract classes included). */
export const EXPORTED_CLASSES: readonly string[] = [
  'BaseFactory',
  'OrganizationFactory',
  'DirectoryFactory',
  'ServiceFactory',
  'BaseClient',
  'ServiceManagingBaseClient',
  'OrganizationClient',
  'DirectoryClient',
  'ServiceClient',
  'PublicKey',
  'Directory',
  'Session',
  'DirectoryUserDeviceLinkData',
  'DirectoryUserTOTP',
  'DeviceLinkCompletionResponse',
  'DeviceStatus',
  'Device',
  'GeoFence',
  'TimeFence',
  'DenialReason',
  'AuthorizationRequest',
  'AuthMethod',
  'AdvancedAuthorizationResponse',
  'AuthorizationResponse',
  'SessionEndRequest',
  'Service',
  'AuthPolicy',
  'ServiceSecurityPolicy',
  'Fence',
  'Policy',
  'AuthorizationResponsePolicy',
  'ConditionalGeoFencePolicy',
  'LegacyPolicy',
  'MethodAmountPolicy',
  'FactorsPolicy',
  'GeoCircleFence',
  'TerritoryFence',
  'JOSETransport',
  'HttpTransport',
  'ApiErrorResponse',
];
