/**
 * Shared entities: KeyType and PublicKey (docs/protocol.md §A3.1), with the `PublicKeyValidator` parse function
 * (§A3.7).
 */
import { entityClass } from './entity-class';
import { bool, reqIsoDate, reqNullableIsoDate, reqString, requireObject, schemaFailure } from './schema';

/** Purpose of a public key. */
export enum KeyType {
  /** Signature and encryption. */
  BOTH = 0,
  /** Encryption only. */
  ENCRYPTION = 1,
  /** Signature only. */
  SIGNATURE = 2,
  /** A value not known to this SDK. */
  OTHER = -1,
}

/** Maps a wire `key_type` to {@link KeyType}: missing, null or 0 gives `BOTH`, an unknown number `OTHER`. */
export function keyTypeFromWire(value: number | null | undefined): KeyType {
  if (value === undefined || value === null || value === 0) return KeyType.BOTH;
  if (value === KeyType.ENCRYPTION || value === KeyType.SIGNATURE) return value;
  return KeyType.OTHER;
}

/** Properties of a {@link PublicKey}. */
export interface PublicKeyData {
  /** Key id (MD5 fingerprint). */
  id: string;
  active: boolean;
  created: Date;
  /** Null when the key does not expire. */
  expires: Date | null;
  /** PEM. */
  publicKey: string;
  /** Default `KeyType.BOTH`. */
  keyType?: KeyType;
}

/** A public key of an organization, directory or service. */
export class PublicKey extends entityClass<PublicKeyData>({
  id: true,
  active: true,
  created: true,
  expires: true,
  publicKey: true,
  keyType: true,
}) {
  constructor(data: PublicKeyData) {
    super({ ...data, keyType: data.keyType ?? KeyType.BOTH });
  }
}

/**
 * Parses a key list item (§A3.7 `PublicKeyValidator`): `id`, `public_key` strings, `date_created` ISO, `date_expires`
 * ISO or null (key required), `active` boolean (absent false), `key_type` integer (absent/null/0: BOTH).
 * @throws UnexpectedAPIResponse when the JSON fails the schema
 */
export function parsePublicKey(json: unknown): PublicKey {
  const what = 'public key';
  const obj = requireObject(json, what);
  const keyType = obj['key_type'];
  if (
    keyType !== undefined &&
    keyType !== null &&
    keyType !== '' &&
    (typeof keyType !== 'number' || !Number.isInteger(keyType))
  ) {
    throw schemaFailure(`${what}: "key_type" must be an integer`, obj);
  }
  return new PublicKey({
    id: reqString(obj, 'id', what),
    active: bool(obj, 'active', what),
    created: reqIsoDate(obj, 'date_created', what),
    expires: reqNullableIsoDate(obj, 'date_expires', what),
    publicKey: reqString(obj, 'public_key', what),
    keyType: keyTypeFromWire(typeof keyType === 'number' ? keyType : null),
  });
}

/**
 * Parses a list of public keys.
 * @throws UnexpectedAPIResponse when it is not a list or an item fails the schema
 */
export function parsePublicKeys(json: unknown): PublicKey[] {
  if (!Array.isArray(json)) throw schemaFailure('public keys: expected a list', json);
  return json.map(parsePublicKey);
}
