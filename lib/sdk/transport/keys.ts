/** RSA key helpers: parsing PEMs into KeyObjects and key ids (docs/protocol.md §3.2). */
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * Key id of an RSA key: MD5 over the DER SubjectPublicKeyInfo of its public half, as 16 lowercase hex pairs
 * joined by `:` (docs/protocol.md §3.2). Accepts a public or private KeyObject or PEM.
 */
export function keyId(key: KeyObject | string): string {
  const pub = typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
  const der = pub.export({ type: 'spki', format: 'der' });
  const hex = createHash('md5').update(der).digest('hex');
  return hex.match(/../g)!.join(':');
}

/** Parses a PEM RSA private key (PKCS#1 or PKCS#8). Throws the underlying error when it is not one. */
export function parseRsaPrivateKey(pem: string): KeyObject {
  const key = createPrivateKey({ key: pem, format: 'pem' });
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`expected an RSA private key, got ${key.asymmetricKeyType}`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) throw new Error(`RSA keys must have at least 2048 bits (this one has ${bits})`);
  return key;
}

/** Parses a PEM RSA public key (SubjectPublicKeyInfo or PKCS#1); a private key PEM yields its public half. */
export function parseRsaPublicKey(pem: string): KeyObject {
  const key = createPublicKey({ key: pem, format: 'pem' });
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`expected an RSA public key, got ${key.asymmetricKeyType}`);
  return key;
}

/** The SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`) of a key. */
export function publicKeyPem(key: KeyObject | string): string {
  const pub = typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ type: 'spki', format: 'pem' }).toString();
}
