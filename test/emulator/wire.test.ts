/** The emulator serves exactly the signed endpoints of the shared wire table, with the same subject types. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Router } from '../../lib/emulator';
import { registerApiRoutes } from '../../lib/emulator/routes';
import { SIGNED_ENDPOINTS } from '../../lib/sdk/wire';

test('the emulator route table equals the wire endpoint table', () => {
  const router = new Router();
  registerApiRoutes(router);
  const row = (r: { method: string; path: string; subjectTypes: readonly string[] }): string =>
    `${r.method} ${r.path} ${[...r.subjectTypes].sort().join(',')}`;
  const served = router.signedRoutes().map(row).sort();
  const table = SIGNED_ENDPOINTS.map(row).sort();
  assert.deepEqual(served, table);
  assert.equal(new Set(table).size, table.length, 'no endpoint twice');
});
