// `passport-truvalidate/redis` loads from the built package through `require()` and `import`, sharing one class.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');

test('passport-truvalidate/redis works from require() and import, with one copy of RedisStore', () => {
  const out = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `
      import { RedisStore, StoreUnavailableError } from 'passport-truvalidate/redis';
      import { createRequire } from 'node:module';
      const req = createRequire(import.meta.url);
      const cjs = req('passport-truvalidate/redis');
      const store = new RedisStore({ prefix: 'entry:' });
      console.log(JSON.stringify([typeof RedisStore, cjs.RedisStore === RedisStore,
        cjs.StoreUnavailableError === StoreUnavailableError, store.prefix]));
      await store.close();
    `,
    ],
    { cwd: root, encoding: 'utf8' },
  ).trim();
  assert.deepEqual(JSON.parse(out), ['function', true, true, 'entry:']);
});
