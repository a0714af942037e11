/** Constants of the SDK (docs/protocol.md §A1.5 and §1.5). */

/** Version of the SDK surface this package implements (the Python SDK it ports). */
export const SDK_VERSION = '4.0.1';
/** Default API base URL (the production API; it was taken offline in 2023, use the emulator locally). */
export const LAUNCHKEY_PRODUCTION = 'https://api.launchkey.com';
/** Entity types that may sign requests. */
export const VALID_JWT_ISSUER_LIST = Object.freeze(['svc', 'dir', 'org'] as const);
/** Key-management algorithms for JWE request bodies. This SDK also accepts `RSA-OAEP-256` (docs/protocol.md §5.2). */
export const JOSE_SUPPORTED_JWE_ALGS = Object.freeze(['RSA-OAEP', 'RSA-OAEP-256'] as const);
/** Content-encryption algorithms for JWE bodies. */
export const JOSE_SUPPORTED_JWE_ENCS = Object.freeze(['A256CBC-HS512'] as const);
/** Signature algorithms for request, response and webhook JWTs. */
export const JOSE_SUPPORTED_JWT_ALGS = Object.freeze(['RS256', 'RS384', 'RS512'] as const);
/** Content hash algorithms for request/response body binding. */
export const JOSE_SUPPORTED_CONTENT_HASH_ALGS = Object.freeze(['S256', 'S384', 'S512'] as const);
/** The API's identifier: `aud` of requests, `iss` of responses and webhooks. */
export const JOSE_AUDIENCE = 'lka';
/** Leeway in seconds when the SDK validates API-issued JWT times. */
export const JOSE_JWT_LEEWAY = 30;
/** Seconds the current API public key and the server time offset are cached. */
export const API_CACHE_TIME = 300;
/** Lifetime in seconds of a request JWT (`exp = iat + 5`). */
export const REQUEST_JWT_LIFETIME = 5;

export type IssuerType = (typeof VALID_JWT_ISSUER_LIST)[number];
export type JweAlgorithm = (typeof JOSE_SUPPORTED_JWE_ALGS)[number];
export type JweEncryption = (typeof JOSE_SUPPORTED_JWE_ENCS)[number];
export type JwtAlgorithm = (typeof JOSE_SUPPORTED_JWT_ALGS)[number];
export type ContentHashAlgorithm = (typeof JOSE_SUPPORTED_CONTENT_HASH_ALGS)[number];
