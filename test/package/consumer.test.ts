// A stranger's app: the packed tarball installed from npm's cache into a temp app with typescript and the usual
// @types, compiled strictly (--strict --skipLibCheck false) under node16 ESM, node16 CJS, bundler and node10
// resolution, and used from JavaScript (ESM and CommonJS). The fixtures are test/package/fixtures/consumer/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createTempApp, packTarball, repoRoot, runAsync, type TempApp } from '../../scripts/package-tools';

const fixtures = path.join(repoRoot, 'test', 'package', 'fixtures', 'consumer');
const STRICT = ['--noEmit', '--strict', '--skipLibCheck', 'false', '--target', 'es2022', '--types', 'node'];

describe(
  'a strict TypeScript and JavaScript consumer of the packed tarball',
  { timeout: 300_000, concurrency: 2 },
  () => {
    let app: TempApp;

    before(async () => {
      const tarball = await packTarball();
      app = await createTempApp(
        'consumer',
        {
          'passport-truvalidate': `file:${tarball}`,
          express: '^5.0.0',
          'express-session': '^1.18.0',
          passport: '^0.7.0',
          redis: '^5.0.0 || ^6.0.0',
        },
        {
          typescript: '~5.9.0',
          '@types/node': '^20.0.0',
          '@types/express': '^5.0.0',
          '@types/express-session': '^1.18.0',
          '@types/passport': '^1.0.0',
          '@types/passport-strategy': '^0.2.0',
        },
      );
      for (const file of fs.readdirSync(fixtures)) fs.copyFileSync(path.join(fixtures, file), path.join(app.dir, file));
    });

    after(() => app?.remove());

    async function tsc(args: string[]): Promise<void> {
      const r = await runAsync(path.join(app.dir, 'node_modules', '.bin', 'tsc'), [...STRICT, ...args], app.dir);
      assert.equal(`${r.stdout}${r.stderr}`.trim(), '', `tsc ${args.join(' ')} reported errors`);
      assert.equal(r.status, 0);
    }

    test('node16 resolution, ES module (.mts): the import condition and .d.mts types', () =>
      tsc(['--module', 'node16', '--moduleResolution', 'node16', 'esm.mts']));

    test('node16 resolution, CommonJS (.cts, import = require): the require condition and .d.ts types', () =>
      tsc(['--module', 'node16', '--moduleResolution', 'node16', 'cjs.cts']));

    test('bundler resolution', () => tsc(['--module', 'esnext', '--moduleResolution', 'bundler', 'esm.mts']));

    test('node10 resolution: the subpaths resolve through typesVersions', () =>
      tsc(['--module', 'commonjs', '--moduleResolution', 'node10', '--esModuleInterop', 'node10.ts']));

    test('JavaScript, ES module and CommonJS', async () => {
      const esm = await runAsync(process.execPath, ['run.mjs'], app.dir, process.env);
      assert.equal(esm.stderr, '');
      assert.deepEqual(JSON.parse(esm.stdout), {
        strategy: 'function',
        sameStrategy: true,
        sameSdk: true,
        redis: 'function',
      });
      const cjs = await runAsync(process.execPath, ['run.cjs'], app.dir, process.env);
      assert.equal(cjs.stderr, '');
      assert.deepEqual(JSON.parse(cjs.stdout), { strategy: 'function', sameSdk: true, redis: 'function' });
    });
  },
);
