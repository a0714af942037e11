/**
 * The JOSE building blocks of the wire protocol, shared by the SDK (client side) and the emulator (server side):
 * compact JWS signing and verification, compact JWE encryption and decryption (docs/protocol.md §5.2), content hashes
 * (S256/S384/S512, lowercase hex) and the legacy RSA-OAEP device package. Policy (which claims, which key) lives
 * in the callers; these functions only do the cryptography, with algorithm allow-lists.
 */
import {
  createHash,
  privateDecrypt,
  publicEncrypt,
  timingSafeEqual,
  constants as cryptoConstants,
  type KeyObject,
} from 'node:crypto';
import {
  CompactEncrypt,
  CompactSign,
  compactDecrypt,
  compactVerify,
  decodeProtectedHeader,
  type JWTPayload,
} from 'jose';
import {
  JOSE_SUPPORTED_CONTENT_HASH_ALGS,
  JOSE_SUPPORTED_JWE_ALGS,
  JOSE_SUPPORTED_JWE_ENCS,
  JOSE_SUPPORTED_JWT_ALGS,
  type ContentHashAlgorithm,
  type JweAlgorithm,
  type JwtAlgorithm,
} from '../constants';
import { isOneOf } from '../utils';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

const HASH_NODE_NAMES: Record<ContentHashAlgorithm, string> = { S256: 'sha256', S384: 'sha384', S512: 'sha512' };

/** True when `value` names a supported content hash function (`S256`, `S384`, `S512`). */
export function isContentHashAlgorithm(value: unknown): value is ContentHashAlgorithm {
  return isOneOf(JOSE_SUPPORTED_CONTENT_HASH_ALGS, value);
}

/** Lowercase hex digest of the exact bytes with the named function. */
export function contentHash(func: ContentHashAlgorithm, body: string | Uint8Array): string {
  return createHash(HASH_NODE_NAMES[func])
    .update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
    .digest('hex');
}

/**
 * Compares two hex digests (case-insensitive) with `crypto.timingSafeEqual`: the time does not depend on where
 * they differ. Digests of different lengths are unequal (the length of a digest is no secret).
 */
export function hashEquals(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase(), 'utf8');
  const y = Buffer.from(b.toLowerCase(), 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Header fields of a compact JOSE token, decoded without verification. */
export interface JoseHeader {
  alg?: unknown;
  kid?: unknown;
  enc?: unknown;
  typ?: unknown;
  cty?: unknown;
  [k: string]: unknown;
}

/** Decodes the protected header of a compact JWS or JWE without verifying it. Throws on malformed input. */
export function decodeHeader(token: string): JoseHeader {
  return decodeProtectedHeader(token) as JoseHeader;
}

/** True when the string is a compact JWS shape (3 base64url parts). */
export function isCompactJws(token: unknown): token is string {
  return typeof token === 'string' && /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

/** True when the string is a compact JWE shape (5 base64url parts; the encrypted key may be empty). */
export function isCompactJwe(token: unknown): token is string {
  return (
    typeof token === 'string' &&
    /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token.trim())
  );
}

/** Signs a JWT: compact JWS over the JSON of `claims`, header `{alg, kid[, typ]}`. */
export async function signJwt(
  claims: Record<string, unknown>,
  key: KeyObject,
  alg: JwtAlgorithm,
  kid: string,
  typ?: string,
): Promise<string> {
  const header: { alg: string; kid: string; typ?: string } = { alg, kid };
  if (typ) header.typ = typ;
  return new CompactSign(encoder.encode(JSON.stringify(claims))).setProtectedHeader(header).sign(key);
}

/**
 * Verifies a compact JWS signature with `key` (RS256/RS384/RS512 only) and returns its JSON claims and header.
 * Throws when the signature, algorithm or payload is invalid. Claims are not checked here.
 */
export async function verifyJwt(
  token: string,
  key: KeyObject,
): Promise<{ claims: JWTPayload & Record<string, unknown>; header: JoseHeader }> {
  const { payload, protectedHeader } = await compactVerify(token, key, { algorithms: [...JOSE_SUPPORTED_JWT_ALGS] });
  const claims = JSON.parse(decoder.decode(payload)) as unknown;
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims))
    throw new Error('JWT payload is not a JSON object');
  return { claims: claims as JWTPayload & Record<string, unknown>, header: protectedHeader as JoseHeader };
}

/** Encrypts `plaintext` to an RSA public key: compact JWE with `alg` (RSA-OAEP or RSA-OAEP-256), `A256CBC-HS512`. */
export async function encryptJwe(
  plaintext: string,
  key: KeyObject,
  kid: string,
  alg: JweAlgorithm = 'RSA-OAEP-256',
  cty?: string,
): Promise<string> {
  const header: { alg: string; enc: string; kid: string; cty?: string } = { alg, enc: 'A256CBC-HS512', kid };
  if (cty) header.cty = cty;
  return new CompactEncrypt(encoder.encode(plaintext)).setProtectedHeader(header).encrypt(key);
}

/** Decrypts a compact JWE (RSA-OAEP or RSA-OAEP-256 with A256CBC-HS512, no `zip`) and returns the UTF-8 text. */
export async function decryptJwe(jwe: string, key: KeyObject): Promise<string> {
  const { plaintext, protectedHeader } = await compactDecrypt(jwe.trim(), key, {
    keyManagementAlgorithms: [...JOSE_SUPPORTED_JWE_ALGS],
    contentEncryptionAlgorithms: [...JOSE_SUPPORTED_JWE_ENCS],
  });
  if (protectedHeader.zip !== undefined) throw new Error('compressed JWE bodies are not allowed');
  return decoder.decode(plaintext);
}

/** Legacy device package: RSA-OAEP (SHA-1, MGF1-SHA-1) encryption, standard base64 output (docs/protocol.md §11.5). */
export function rsaOaepEncryptBase64(plaintext: string, key: KeyObject): string {
  return publicEncrypt(
    { key, padding: cryptoConstants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    Buffer.from(plaintext, 'utf8'),
  ).toString('base64');
}

/** Legacy device package: decrypts standard base64 RSA-OAEP (SHA-1) ciphertext to UTF-8 text. */
export function rsaOaepDecryptBase64(ciphertext: string, key: KeyObject): string {
  const out = privateDecrypt(
    { key, padding: cryptoConstants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    Buffer.from(ciphertext, 'base64'),
  );
  return decoder.decode(out);
}
