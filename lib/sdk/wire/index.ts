/**
 * The wire module: what the SDK transport and the emulator both need to speak the v3 protocol, in one place. It
 * re-exports the SDK's own implementations (shapes, JOSE primitives, key helpers, value readers) so that the two
 * sides cannot drift, and adds the claim rules and the endpoint table (docs/protocol.md). Internal: not part of the
 * package's public API. The emulator imports SDK code only from here (or from the public `lib/sdk/index.ts`).
 */
export {
  JOSE_AUDIENCE,
  JOSE_SUPPORTED_CONTENT_HASH_ALGS,
  JOSE_SUPPORTED_JWE_ALGS,
  JOSE_SUPPORTED_JWT_ALGS,
  type ContentHashAlgorithm,
  type JweAlgorithm,
  type JwtAlgorithm,
} from '../constants';
export { isJsonObject, type JsonObject } from '../entities/schema';
export {
  contentHash,
  decodeHeader,
  decryptJwe,
  encryptJwe,
  hashEquals,
  isCompactJwe,
  isCompactJws,
  isContentHashAlgorithm,
  rsaOaepDecryptBase64,
  rsaOaepEncryptBase64,
  signJwt,
  verifyJwt,
  type JoseHeader,
} from '../transport/jose-primitives';
export { keyId, parseRsaPrivateKey, parseRsaPublicKey, publicKeyPem } from '../transport/keys';
export type { HttpMethod } from '../transport/types';
export { isOneOf, isoFormat, parseIsoDate, parseUuid } from '../utils';
export * from './claims';
export * from './endpoints';
export { uuidV1 } from '../uuid-v1';
export { BodyTooLargeError, readBody } from '../read-body';
