/**
 * Public-key rules shared by directory keys, organization-service keys and directory-service keys
 * (docs/protocol.md §B6): derived key id, KEY-001 invalid PEM, KEY-002 duplicate per entity, key type 0/1/2 else
 * ARG-001, KEY-003 checked before KEY-004, PEM returned exactly as submitted, ISO dates with `Z`.
 */
import { ApiError } from '../../api-error';
import type { KeyRecord, KeyType } from '../../state/types';
import { keyId, parseRsaPublicKey } from '../../../sdk/wire';
import { isoFormat } from '../../../sdk/wire';
import { ABSENT, optionalBoolean, optionalIsoDate, requiredString, type Body } from '../params';

/** The wire form of a key (docs/protocol.md §10.3 "Public key"). */
export function keyToWire(key: KeyRecord): Record<string, unknown> {
  return {
    id: key.id,
    public_key: key.publicKey,
    date_created: key.dateCreated,
    date_expires: key.dateExpires,
    active: key.active,
    key_type: key.keyType,
  };
}

/** Key id of a submitted PEM, or KEY-001 when it is not an RSA public key of at least 2048 bits. */
export function publicKeyId(pem: string): string {
  if (/PRIVATE KEY/.test(pem))
    throw new ApiError(400, 'KEY-001', 'The public key is not a valid RSA public key (a private key was sent)');
  try {
    const key = parseRsaPublicKey(pem);
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) throw new Error(`RSA keys need at least 2048 bits, this one has ${bits}`);
    return keyId(key);
  } catch (error) {
    throw new ApiError(400, 'KEY-001', `The public key is not a valid RSA public key: ${(error as Error).message}`);
  }
}

function readKeyType(body: Body): KeyType {
  const value = body['key_type'];
  if (value === undefined || value === null) return 0;
  if (value === 0 || value === 1 || value === 2) return value;
  throw ApiError.invalidParameters({ key_type: 'This value must be 0 (BOTH), 1 (ENCRYPTION) or 2 (SIGNATURE)' });
}

/**
 * Adds the key of a `POST .../keys` body to an entity's key list and returns its id.
 * Checks, in order: `public_key` present (ARG-001), `key_type`, `date_expires`, `active` (ARG-001), PEM (KEY-001),
 * duplicate within the entity (KEY-002).
 */
export function addKey(keys: KeyRecord[], body: Body, nowSeconds: number): string {
  const pem = requiredString(body, 'public_key');
  const keyType = readKeyType(body);
  const expires = optionalIsoDate(body, 'date_expires');
  const active = optionalBoolean(body, 'active');
  const id = publicKeyId(pem);
  if (keys.some((k) => k.id === id))
    throw new ApiError(400, 'KEY-002', `The public key ${id} is already registered for this entity`);
  keys.push({
    id,
    publicKey: pem,
    keyType,
    active: active === ABSENT ? true : active,
    dateCreated: isoFormat(new Date(nowSeconds * 1000)),
    dateExpires: expires === ABSENT ? null : expires,
  });
  return id;
}

function findKey(keys: KeyRecord[], body: Body): KeyRecord {
  const kid = requiredString(body, 'key_id').toLowerCase();
  const key = keys.find((k) => k.id === kid);
  if (!key) throw new ApiError(400, 'KEY-003', `No public key with id ${kid} exists for this entity`);
  return key;
}

/** Applies a `PATCH .../keys` body (`active`, `date_expires` with `null` clearing). KEY-003 for an unknown key. */
export function updateKey(keys: KeyRecord[], body: Body): void {
  const active = optionalBoolean(body, 'active');
  const expires = optionalIsoDate(body, 'date_expires');
  const key = findKey(keys, body);
  if (active !== ABSENT) key.active = active;
  if (expires !== ABSENT) key.dateExpires = expires;
}

/** Applies a `DELETE .../keys` body: KEY-003 for an unknown key (checked first), KEY-004 for the last key. */
export function removeKey(keys: KeyRecord[], body: Body): void {
  const key = findKey(keys, body);
  if (keys.length === 1)
    throw new ApiError(400, 'KEY-004', 'The last remaining public key cannot be removed; deactivate it instead');
  keys.splice(keys.indexOf(key), 1);
}
