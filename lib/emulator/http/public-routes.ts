/** The unsigned public endpoints (docs/protocol.md §7): ping and the API public keys. */
import type { ServerResponse } from 'node:http';
import { publicKeyPem } from '../../sdk/transport/keys';
import { isoFormat } from '../../sdk/utils';
import type { EmulatorRuntime } from '../runtime';
import { publicKeyObject } from '../state/key-cache';
import type { ApiKeyRecord } from '../state/types';
import { writeJson, writeRaw } from './respond';

function writePublicKey(res: ServerResponse, key: ApiKeyRecord): void {
  writeRaw(res, 200, 'text/plain; charset=utf-8', publicKeyPem(publicKeyObject(key.privateKey)), { 'X-IOV-KEY-ID': key.id });
}

/** Serves `/public/v3/*` GET requests; returns false when the path is not a public route. */
export function handlePublic(rt: EmulatorRuntime, method: string, path: string, res: ServerResponse): boolean {
  if (!path.startsWith('/public/')) return false;
  if (method !== 'GET') {
    writeJson(res, 405, { error_code: 'ARG-002', error_detail: `${method} is not allowed on ${path}` });
    return true;
  }
  if (path === '/public/v3/ping') {
    writeJson(res, 200, { api_time: isoFormat(rt.clock.now()) });
    return true;
  }
  if (path === '/public/v3/public-key') {
    writePublicKey(res, rt.state.apiEncryptionKey());
    return true;
  }
  const m = /^\/public\/v3\/public-key\/([^/]+)$/.exec(path);
  if (m) {
    const key = rt.state.apiKey((m[1] as string).toLowerCase());
    if (!key) writeJson(res, 404, { error_code: 'HTTP-404', error_detail: 'No API key with that id' });
    else writePublicKey(res, key);
    return true;
  }
  writeJson(res, 404, { error_code: 'ARG-002', error_detail: `No public route ${path}` });
  return true;
}
