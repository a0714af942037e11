/** Parsed KeyObjects cached by PEM, so that each PEM is parsed once per process. */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

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

/** The public KeyObject of a PEM (public, or private: its public half). Throws on a bad PEM. */
export function publicKeyObject(pem: string): KeyObject {
  return cached(publicKeys, pem, createPublicKey);
}

/** The private KeyObject of a PEM. Throws on a bad PEM. */
export function privateKeyObject(pem: string): KeyObject {
  return cached(privateKeys, pem, createPrivateKey);
}
