// The packed tarball: what it ships (the build, README, CHANGELOG, LICENSE, bin; no sources, tests, source maps),
// and how TypeScript and publint see it (scripts/check-package.ts: attw on every entry point and resolution kind,
// publint --strict). A broken variant proves that attw catches CommonJS types served to `import`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packTarball, run } from '../../scripts/package-tools';
import { checkTarball } from '../../scripts/check-package';

function listTarball(tarball: string): string[] {
  return run('tar', ['tzf', tarball], path.dirname(tarball)).trim().split('\n').sort();
}

test('the tarball ships the build, README, CHANGELOG, LICENSE and bin, nothing else', async () => {
  const files = listTarball(await packTarball());
  const outside = files.filter((f) => !f.startsWith('package/dist/'));
  assert.deepEqual(outside, [
    'package/CHANGELOG.md',
    'package/LICENSE',
    'package/README.md',
    'package/bin/truvalidate-emulator.js',
    'package/bin/truvalidate.js',
    'package/package.json',
  ]);
  const odd = files.filter((f) => f.startsWith('package/dist/') && !/\.(js|d\.ts|mjs|d\.mts)$/.test(f));
  assert.deepEqual(odd, [], 'no source maps or other files in dist/');
  for (const entry of ['dist/cjs/index.js', 'dist/cjs/index.d.ts', 'dist/esm/index.mjs', 'dist/esm/index.d.mts']) {
    assert.ok(files.includes(`package/${entry}`), entry);
  }
});

test('LICENSE is MIT, held by the passport-truvalidate contributors', () => {
  const text = fs.readFileSync(path.join(__dirname, '..', '..', 'LICENSE'), 'utf8');
  assert.match(text, /^MIT License\n\nCopyright \(c\) \d{4} passport-truvalidate contributors\n/);
});

test('attw: no problem, types per module system, node10 resolves the subpaths; publint: all good', async () => {
  const r = await checkTarball(await packTarball());
  assert.deepEqual(r.attwProblems, []);
  const layout = (esm: string, cjs: string) => ({ node10: cjs, 'node16-cjs': cjs, 'node16-esm': esm, bundler: esm });
  assert.deepEqual(r.types, {
    '.': layout('dist/esm/index.d.mts', 'dist/cjs/index.d.ts'),
    './sdk': layout('dist/esm/sdk.d.mts', 'dist/cjs/sdk/index.d.ts'),
    './emulator': layout('dist/esm/emulator.d.mts', 'dist/cjs/emulator/index.d.ts'),
    './redis': layout('dist/esm/redis.d.mts', 'dist/cjs/strategy/stores/redis.d.ts'),
    './package.json': layout('package.json', 'package.json'),
  });
  assert.ok(r.publint.ok, r.publint.output);
});

test('attw catches the old layout (one CommonJS .d.ts for import and require)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptv-broken-'));
  try {
    run('tar', ['xzf', await packTarball()], dir);
    const file = path.join(dir, 'package', 'package.json');
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
    pkg.exports['.'].import.types = './dist/cjs/index.d.ts';
    fs.writeFileSync(file, JSON.stringify(pkg));
    run('tar', ['czf', 'broken.tgz', 'package'], dir);
    const r = await checkTarball(path.join(dir, 'broken.tgz'));
    assert.deepEqual(r.attwProblems, [
      { kind: 'FalseCJS', typesFileName: 'dist/cjs/index.d.ts', implementationFileName: 'dist/esm/index.mjs' },
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
