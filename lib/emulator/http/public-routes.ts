/** The unsigned public endpoints (docs/protocol.md §7): ping and the API public keys. */
import { isoFormat, publicKeyPem } from '../../sdk/wire';
import type { ControlReply, Router } from '../router';
import type { EmulatorRuntime } from '../runtime';
import { publicKeyObject } from '../state/key-cache';
import type { ApiKeyRecord } from '../state/types';

function publicKeyReply(key: ApiKeyRecord): ControlReply & { headers: Record<string, string> } {
  const pem = publicKeyPem(publicKeyObject(key.privateKey));
  return { raw: pem, contentType: 'text/plain; charset=utf-8', headers: { 'X-IOV-KEY-ID': key.id } };
}

function currentKey(rt: EmulatorRuntime): ControlReply & { headers: Record<string, string> } {
  return publicKeyReply(rt.state.apiEncryptionKey());
}

/** Adds `GET /public/v3/ping`, `/public/v3/public-key` and `/public/v3/public-key/:kid` to the route table. */
export function registerPublicRoutes(router: Router): void {
  router.add({
    kind: 'public',
    method: 'GET',
    path: '/public/v3/ping',
    handler: (rt) => ({ json: { api_time: isoFormat(rt.clock.now()) } }),
  });
  router.add({ kind: 'public', method: 'GET', path: '/public/v3/public-key', handler: currentKey });
  router.add({
    kind: 'public',
    method: 'GET',
    path: '/public/v3/public-key/:kid',
    handler: (rt, params) => {
      const key = rt.state.apiKey((params['kid'] ?? '').toLowerCase());
      if (!key) return { json: { error_code: 'HTTP-404', error_detail: 'No API key with that id' }, status: 404 };
      return publicKeyReply(key);
    },
  });
}
