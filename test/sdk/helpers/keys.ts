/** RSA test keys, generated once per test file (2048 bits unless asked). */
import { generateKeyPairSync } from 'node:crypto';

/** A PEM key pair. */
export interface PemPair {
  privateKey: string;
  publicKey: string;
}

/** Generates an RSA key pair as PEM strings (PKCS#8 private, SPKI public). */
export function rsaPair(bits = 2048): PemPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKey, publicKey };
}
