/** First start: a fresh organization, directory, service and API keys (docs/emulator.md). */
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { keyId, publicKeyPem } from '../../sdk/wire';
import { isoFormat } from '../../sdk/wire';
import { uuidV1 } from '../ids';
import { newDirectoryRecord, newServiceRecord } from './records';
import type { ApiKeyRecord, KeyRecord, KeyType, StateData } from './types';

const generateKeyPairAsync = promisify(generateKeyPair);

/** Generates an RSA private key of `bits` bits and returns its PKCS#8 PEM. */
export async function generateRsaPrivateKeyPem(bits: number): Promise<string> {
  const { privateKey } = await generateKeyPairAsync('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return privateKey;
}

/** A registered entity key record for the public half of a private key PEM. */
export function keyRecordFor(privatePem: string, keyType: KeyType, created: Date): KeyRecord {
  return {
    id: keyId(privatePem),
    publicKey: publicKeyPem(privatePem),
    keyType,
    active: true,
    dateCreated: isoFormat(created),
    dateExpires: null,
  };
}

/** Options of {@link createInitialState}. */
export interface BootstrapOptions {
  /** RSA key size of every generated key. */
  keyBits: number;
  /** When true, one API key both signs and encrypts; otherwise two keys. */
  singleApiKey: boolean;
  now: Date;
}

/**
 * A fresh state: organization (a dual-purpose, a signature-only and an encryption-only key), one directory, one
 * directory service, and the API key(s). Keys are generated in parallel.
 */
export async function createInitialState(options: BootstrapOptions): Promise<StateData> {
  const count = options.singleApiKey ? 6 : 7;
  const pems = await Promise.all(Array.from({ length: count }, () => generateRsaPrivateKeyPem(options.keyBits)));
  const [orgKey, orgSig, orgEnc, dirKey, svcKey, apiSig, apiEnc] = pems as [
    string,
    string,
    string,
    string,
    string,
    string,
    string | undefined,
  ];
  const now = options.now;
  const created = isoFormat(now);
  const orgId = uuidV1();
  const dirId = uuidV1();
  const svcId = uuidV1();
  const apiKeys: ApiKeyRecord[] = [
    { id: keyId(apiSig), privateKey: apiSig, use: apiEnc ? 'sig' : 'both', created, retired: false },
  ];
  if (apiEnc) apiKeys.push({ id: keyId(apiEnc), privateKey: apiEnc, use: 'enc', created, retired: false });
  return {
    version: 1,
    organizations: [
      {
        id: orgId,
        name: 'Emulator Organization',
        keys: [keyRecordFor(orgKey, 0, now), keyRecordFor(orgSig, 2, now), keyRecordFor(orgEnc, 1, now)],
      },
    ],
    directories: [
      newDirectoryRecord({
        id: dirId,
        organizationId: orgId,
        name: 'Emulator Directory',
        keys: [keyRecordFor(dirKey, 0, now)],
        serviceIds: [svcId],
      }),
    ],
    services: [
      newServiceRecord({
        id: svcId,
        owner: { type: 'dir', id: dirId },
        name: 'Emulator Service',
        description: 'The service created on first start',
        keys: [keyRecordFor(svcKey, 0, now)],
      }),
    ],
    users: [],
    authRequests: [],
    apiKeys,
    signingKeyId: apiKeys[0]!.id,
    encryptionKeyId: apiKeys[apiKeys.length - 1]!.id,
    credentials: {
      organization: { id: orgId, privateKey: orgKey, signatureKey: orgSig, encryptionKey: orgEnc },
      directory: { id: dirId, privateKey: dirKey },
      service: { id: svcId, privateKey: svcKey },
    },
  };
}
