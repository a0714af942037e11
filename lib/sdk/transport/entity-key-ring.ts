/** The client's own private keys: one signing key and a pool of decryption keys (docs/protocol.md §3.3). */
import type { KeyObject } from 'node:crypto';
import { EntityKeyNotFound, InvalidPrivateKey, NoIssuerKey, UnexpectedAPIResponse, UnexpectedKeyID } from '../errors';
import { decodeHeader, decryptJwe, rsaOaepDecryptBase64 } from './jose-primitives';
import { keyId, parseRsaPrivateKey } from './keys';

/** A parsed private key and its id. */
export interface EntityKey {
  kid: string;
  key: KeyObject;
}

/** Parses a PEM RSA private key of at least 2048 bits, else `InvalidPrivateKey`. */
export function parseEntityKey(pem: unknown): EntityKey {
  if (typeof pem !== 'string') throw new InvalidPrivateKey('the private key must be a PEM string');
  let key: KeyObject;
  try {
    key = parseRsaPrivateKey(pem);
  } catch (err) {
    throw new InvalidPrivateKey(
      `not a usable PEM RSA private key: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  return { kid: keyId(key), key };
}

/**
 * Holds the single signing key and the decryption pool (the encryption keys plus the signing key). JWE
 * decryption picks the pool key named by the header `kid` (unknown: `EntityKeyNotFound`, no other key is tried);
 * without a `kid` every pool key is tried in turn (docs/protocol.md §13 OP-13).
 */
export class EntityKeyRing {
  private signer: EntityKey | null = null;
  private readonly pool = new Map<string, KeyObject>();

  /** Sets the signing key (it also joins the decryption pool). */
  setSigningKey(key: EntityKey): void {
    this.signer = key;
    this.addDecryptionKey(key);
  }

  /** Adds a decryption key; returns false when a key with the same id is already held. */
  addDecryptionKey(key: EntityKey): boolean {
    if (this.pool.has(key.kid)) return false;
    this.pool.set(key.kid, key.key);
    return true;
  }

  /** The signing key, else `NoIssuerKey`. */
  signingKey(): EntityKey {
    if (!this.signer) throw new NoIssuerKey('no signing key: call setIssuer first (factories do)');
    return this.signer;
  }

  /** Ids of the decryption pool. */
  keyIds(): string[] {
    return [...this.pool.keys()];
  }

  /**
   * Decrypts a compact JWE addressed to this entity. Unknown `kid`: `EntityKeyNotFound`; a JWE that does not
   * decrypt: `UnexpectedAPIResponse` (callers rewrap it for webhooks and device packages).
   */
  async decrypt(jwe: string): Promise<string> {
    let kid: unknown;
    try {
      kid = decodeHeader(jwe.trim()).kid;
    } catch (err) {
      throw new UnexpectedAPIResponse('the JWE header cannot be decoded', null, err);
    }
    if (kid !== undefined) {
      const key = typeof kid === 'string' ? this.pool.get(kid) : undefined;
      if (!key)
        throw new EntityKeyNotFound(
          `the JWE is encrypted to key ${JSON.stringify(kid)}, which this client does not hold`,
        );
      try {
        return await decryptJwe(jwe, key);
      } catch (err) {
        throw new UnexpectedAPIResponse(`the JWE for key ${kid} does not decrypt`, null, err);
      }
    }
    let last: unknown = null;
    for (const key of this.pool.values()) {
      try {
        return await decryptJwe(jwe, key);
      } catch (err) {
        last = err;
      }
    }
    throw new UnexpectedAPIResponse('the JWE (without kid) does not decrypt with any held key', null, last);
  }

  /** Decrypts a legacy base64 RSA-OAEP package with the key `kid`: unknown id `UnexpectedKeyID`. */
  decryptRsa(ciphertextBase64: string, kid: string): string {
    const key = this.pool.get(kid);
    if (!key)
      throw new UnexpectedKeyID(
        `the package is encrypted to key ${JSON.stringify(kid)}, which this client does not hold`,
      );
    try {
      return rsaOaepDecryptBase64(ciphertextBase64, key);
    } catch (err) {
      throw new UnexpectedAPIResponse(`the package for key ${kid} does not decrypt`, null, err);
    }
  }
}
