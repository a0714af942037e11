/**
 * Parsed KeyObjects cached by PEM, so that each PEM is parsed once per process (parsing: the SDK keys helpers through
 * `sdk/wire`).
 */
import type { KeyObject } from 'node:crypto';
import { parseRsaPrivateKey, parseRsaPublicKey } from '../../sdk/wire';

const publicKeys = new Map<string, KeyObject>();
const privateKeys = new Map<string, KeyObject>();

function cached(cache: Map<string, KeyObject>, pem: string, parse: (pem: string) => KeyObject): KeyObject {
  let key = cache.get(pem);
  if (!key) {
    key = parse(pem);
    cache.set(pem, key);
  }
  return key;
}

/** The public RSA KeyObject of a PEM (public, or private: its public half). Throws on a bad or non-RSA PEM. */
export function publicKeyObject(pem: string): KeyObject {
  return cached(publicKeys, pem, parseRsaPublicKey);
}

/** The private RSA KeyObject of a PEM. Throws on a bad or non-RSA PEM, or one under 2048 bits. */
export function privateKeyObject(pem: string): KeyObject {
  return cached(privateKeys, pem, parseRsaPrivateKey);
}
