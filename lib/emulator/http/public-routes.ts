/** The unsigned public endpoints (protocol.md 7): ping and the API public keys. */
import type { ServerResponse } from 'node:http';
import { publicKeyPem } from '../../sdk/transport/keys';
import { isoFormat } from '../../sdk/utils';
import type { EmulatorRuntime } from '../runtime';
import { privateKeyObject } from '../state/key-cache';
import { writeJson, writeRaw } from './respond';

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
    const key = rt.state.apiEncryptionKey();
    writeRaw(res, 200, 'text/plain; charset=utf-8', publicKeyPem(privateKeyObject(key.privateKey)), { 'X-IOV-KEY-ID': key.id });
    return true;
  }
  const m = /^\/public\/v3\/public-key\/([^/]+)$/.exec(path);
  if (m) {
    const key = rt.state.apiKey((m[1] as string).toLowerCase());
    if (!key) writeJson(res, 404, { error_code: 'HTTP-404', error_detail: 'No API key with that id' });
    else writeRaw(res, 200, 'text/plain; charset=utf-8', publicKeyPem(privateKeyObject(key.privateKey)), { 'X-IOV-KEY-ID': key.id });
    return true;
  }
  writeJson(res, 404, { error_code: 'ARG-002', error_detail: `No public route ${path}` });
  return true;
}
