/**
 * The emulator's own JOSE work shared by answers and webhooks: encryption to an entity's key (docs/protocol.md
 * §3.4) and the API-issued JWT.
 */
import { JOSE_AUDIENCE } from '../sdk/wire';
import { encryptJwe, signJwt } from '../sdk/wire';
import type { EmulatorRuntime } from './runtime';
import { privateKeyObject, publicKeyObject } from './state/key-cache';
import type { EntityRecord } from './state/state';

/**
 * Lifetime of every JWT the emulator issues (responses and webhooks): `exp = iat + 30` (docs/protocol.md §13 OP-18).
 */
export const API_JWT_LIFETIME = 30;

/** Who a JWE is for: an entity and the key that signed its request (docs/protocol.md §3.4). */
export interface EncryptionTarget {
  entity: EntityRecord;
  signingKeyId: string;
}

/**
 * Encrypts JSON text to an entity per docs/protocol.md §3.4 and returns the compact JWE and the id of the entity key
 * used. Throws when the entity has no key at all.
 */
export async function encryptForEntity(
  rt: EmulatorRuntime,
  target: EncryptionTarget,
  plaintext: string,
): Promise<{ jwe: string; keyId: string }> {
  const key = rt.state.encryptionKeyFor(target.entity, target.signingKeyId, rt.clock.nowSeconds());
  if (!key) throw new Error('the entity has no key to encrypt to');
  const jwe = await encryptJwe(plaintext, publicKeyObject(key.publicKey), key.id, rt.jweAlgorithm);
  return { jwe, keyId: key.id };
}

/** Signs an API-issued JWT (iss `lka`, RS256, kid = API signing key, typ JWT, iat/nbf = now, exp = now + 30). */
export async function signApiJwt(rt: EmulatorRuntime, claims: Record<string, unknown>): Promise<string> {
  const key = rt.state.apiSigningKey();
  const now = rt.clock.nowSeconds();
  const full = { iss: JOSE_AUDIENCE, ...claims, iat: now, nbf: now, exp: now + API_JWT_LIFETIME };
  return signJwt(full, privateKeyObject(key.privateKey), 'RS256', key.id, 'JWT');
}
