/** Parsed KeyObjects cached by PEM, so that each PEM is parsed once per process. */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

const publicKeys = new Map<string, KeyObject>();
const privateKeys = new Map<string, KeyObject>();

/** The public KeyObject of a PEM (public, or private: its public half). Throws on a bad PEM. */
export function publicKeyObject(pem: string): KeyObject {
  let key = publicKeys.get(pem);
  if (!key) {
    key = createPublicKey(pem);
    publicKeys.set(pem, key);
  }
  return key;
}

/** The private KeyObject of a PEM. Throws on a bad PEM. */
export function privateKeyObject(pem: string): KeyObject {
  let key = privateKeys.get(pem);
  if (!key) {
    key = createPrivateKey(pem);
    privateKeys.set(pem, key);
  }
  return key;
}
