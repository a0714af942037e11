// Lean install: `npm install <tarball>` into an app that already has express, express-session and passport adds at
// most 15 packages and 7 MB (scripts/measure-install.ts), and the optional peers stay optional: the core loads
// without redis and qrcode, and a `RedisStore` without `redis` installed says which package to install.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { packTarball, repoRoot, runAsync, type TempApp } from '../../scripts/package-tools';
import { measureInstall, type InstallMeasure } from '../../scripts/measure-install';

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
};

test('runtime dependencies are the core ones; redis, qrcode and the @types are optional peers', () => {
  assert.deepEqual(Object.keys(pkg.dependencies).sort(), ['axios', 'debug', 'jose', 'passport-strategy']);
  assert.equal(pkg.peerDependencies.passport, '^0.6.0 || ^0.7.0');
  assert.equal(pkg.peerDependenciesMeta.passport, undefined, 'passport is a required peer');
  const optional = Object.keys(pkg.peerDependenciesMeta)
    .filter((n) => pkg.peerDependenciesMeta[n]?.optional)
    .sort();
  assert.deepEqual(optional, [
    '@types/express',
    '@types/passport',
    '@types/passport-strategy',
    'express',
    'qrcode',
    'redis',
  ]);
});

describe('npm install <tarball> into an Express app with sessions and Passport', { timeout: 300_000 }, () => {
  let app: TempApp;
  let measure: InstallMeasure;

  before(async () => {
    ({ app, measure } = await measureInstall(await packTarball()));
  });

  after(() => app?.remove());

  test('adds at most 15 packages and 7 MB on disk, and neither redis nor qrcode', () => {
    const added = measure.added.map((p) => p.replace(/^node_modules\//, ''));
    assert.ok(
      added.includes('passport-truvalidate') && added.includes('jose') && added.includes('axios'),
      added.join(),
    );
    assert.ok(!added.some((p) => /(^|\/)(redis|@redis\/[^/]+|qrcode)$/.test(p)), added.join());
    assert.ok(added.length <= 15, `added ${added.length} packages: ${added.join(', ')}`);
    assert.ok(measure.addedBytes <= 7e6, `added ${(measure.addedBytes / 1e6).toFixed(2)} MB`);
  });

  test('the core and the SDK load from require() and import without the optional peers', async () => {
    const code = `import { TruValidateStrategy } from 'passport-truvalidate';
      import { ServiceFactory } from 'passport-truvalidate/sdk';
      const cjs = (await import('node:module')).createRequire(import.meta.url)('passport-truvalidate');
      console.log(typeof TruValidateStrategy, typeof ServiceFactory, cjs.TruValidateStrategy === TruValidateStrategy);`;
    const r = await runAsync(process.execPath, ['--input-type=module', '-e', code], app.dir, process.env);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout.trim(), 'function function true');
  });

  test('passport-truvalidate/redis without redis: it loads; a store without a client is an error naming the package', async () => {
    const expected = {
      name: 'TruValidateStrategyError',
      code: 'ERR_TRUVALIDATE_SETUP',
      message:
        "passport-truvalidate/redis needs the 'redis' package (v5 or v6), which is not installed: " +
        'run `npm install redis`',
    };
    const show = 'const show = (e) => console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message }));';
    const cjs = await runAsync(
      process.execPath,
      [
        '-e',
        `${show} const { RedisStore } = require('passport-truvalidate/redis'); try { new RedisStore(); } catch (e) { show(e); }`,
      ],
      app.dir,
      process.env,
    );
    assert.deepEqual({ status: cjs.status, stderr: cjs.stderr }, { status: 0, stderr: '' });
    assert.deepEqual(JSON.parse(cjs.stdout), expected);
    // A caller that feature-detects with import() and catches: the process goes on and exits 0.
    const esm = await runAsync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `${show} const { RedisStore } = await import('passport-truvalidate/redis'); try { new RedisStore({ url: 'redis://127.0.0.1:1' }); } catch (e) { show(e); }`,
      ],
      app.dir,
      process.env,
    );
    assert.deepEqual({ status: esm.status, stderr: esm.stderr }, { status: 0, stderr: '' });
    assert.deepEqual(JSON.parse(esm.stdout), expected);
  });
});
