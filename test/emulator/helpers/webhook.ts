/** Checks a webhook the emulator sent (docs/protocol.md §11.2, §11.3) with the shared primitives. */
import assert from 'node:assert/strict';
import { contentHash } from '../../../lib/sdk/transport/jose-primitives';
import type { TestClient } from './client';
import type { ReceivedRequest } from './receiver';

/** Verifies signature, iss/aud/sub, times, request {meth, path, func, hash}; returns the claims. */
export async function checkWebhook(
  client: TestClient,
  r: ReceivedRequest,
  expect: { aud: string; sub: string; path: string },
): Promise<Record<string, unknown>> {
  assert.equal(r.method, 'POST');
  assert.equal(r.headers['authorization'], undefined);
  const jwt = r.headers['x-iov-jwt'];
  assert.equal(typeof jwt, 'string');
  const claims = await client.responseClaims({
    status: 200,
    headers: new Headers({ 'x-iov-jwt': jwt as string }),
    body: r.body,
    jti: '',
  });
  assert.equal(claims['iss'], 'lka');
  assert.equal(claims['aud'], expect.aud);
  assert.equal(claims['sub'], expect.sub);
  assert.equal(typeof claims['jti'], 'string');
  const now = Date.now() / 1000;
  assert.ok((claims['iat'] as number) <= now + 5 && (claims['exp'] as number) >= now);
  assert.deepEqual(claims['request'], {
    meth: 'POST',
    path: expect.path,
    func: 'S256',
    hash: contentHash('S256', r.body),
  });
  return claims;
}
