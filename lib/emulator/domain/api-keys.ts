/**
 * Rotation of the emulator's own API keys (docs/protocol.md §3.4, §7.2): a new current key with a grace period for the
 * old.
 */
import { keyId } from '../../sdk/wire';
import { isoFormat } from '../../sdk/wire';
import type { EmulatorRuntime } from '../runtime';
import { generateRsaPrivateKeyPem } from '../state/bootstrap';
import type { ApiKeyRecord } from '../state/types';

/** Ids of the API keys in use after a rotation. */
export interface ApiKeyIds {
  signingKeyId: string;
  encryptionKeyId: string;
}

/**
 * Makes a new current API encryption key (and, with `signing`, a new signing key). Previous keys stay usable to
 * decrypt request bodies (until retired) and are served by id for ever. When one key does both jobs, the new key
 * does both jobs too.
 */
export async function rotateApiKeys(rt: EmulatorRuntime, options: { signing?: boolean } = {}): Promise<ApiKeyIds> {
  const state = rt.state;
  const created = isoFormat(rt.clock.now());
  const add = async (use: ApiKeyRecord['use']): Promise<ApiKeyRecord> => {
    const pem = await generateRsaPrivateKeyPem(rt.keyBits);
    const record: ApiKeyRecord = { id: keyId(pem), privateKey: pem, use, created, retired: false };
    state.data.apiKeys.push(record);
    return record;
  };
  if (state.data.signingKeyId === state.data.encryptionKeyId) {
    const both = await add('both');
    state.data.signingKeyId = both.id;
    state.data.encryptionKeyId = both.id;
  } else {
    state.data.encryptionKeyId = (await add('enc')).id;
    if (options.signing) state.data.signingKeyId = (await add('sig')).id;
  }
  state.save();
  return { signingKeyId: state.data.signingKeyId, encryptionKeyId: state.data.encryptionKeyId };
}

/**
 * Retires a previous API key: it no longer decrypts request bodies (it is still served by id). The current keys
 * cannot be retired. Returns false when there is no such key or it is current.
 */
export function retireApiKey(rt: EmulatorRuntime, kid: string): boolean {
  const key = rt.state.apiKey(kid);
  if (!key || key.id === rt.state.data.signingKeyId || key.id === rt.state.data.encryptionKeyId) return false;
  key.retired = true;
  rt.state.save();
  return true;
}
