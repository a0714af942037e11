/**
 * The packaged command: `bin/truvalidate.js` runs the build (dist/cjs/cli/main.js, made by `npm run build`, which
 * `npm test` runs first), and `npm pack` ships both under the `truvalidate` bin name.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BIN, CliFixture, ROOT, runCli } from './helpers';

const execFileAsync = promisify(execFile);
const BUILT = { TRUVALIDATE_CLI_FROM_SOURCE: '0' };

let f: CliFixture;
before(async () => {
  f = await CliFixture.start();
});
after(() => f.close());

test('the bin runs the build: same help and same answers as the sources', async () => {
  assert.ok(existsSync(join(ROOT, 'dist', 'cjs', 'cli', 'main.js')), 'run `npm run build` before the tests');
  assert.ok((statSync(BIN).mode & 0o111) !== 0, 'bin/truvalidate.js is executable');
  assert.equal(readFileSync(BIN, 'utf8').split('\n')[0], '#!/usr/bin/env node');
  const built = await runCli(['--help'], BUILT);
  const source = await runCli(['--help']);
  assert.equal(built.code, 0);
  assert.equal(built.stdout, source.stdout);
  await f.emu.linkUser('pia');
  const args = [...f.asOrganization, '--json', 'devices-list', f.emu.directory.id, 'pia'];
  const fromBuild = await runCli(args, BUILT);
  assert.equal(fromBuild.code, 0, fromBuild.stderr);
  assert.equal(fromBuild.stdout, (await runCli(args)).stdout);
  const usage = await runCli(['widget'], BUILT);
  assert.equal(usage.code, 2);
  assert.equal(usage.stderr, 'truvalidate: unknown entity type "widget": use Service, Directory or Organization\n');
});

test('npm pack ships bin/truvalidate.js and the built CLI, under the bin name truvalidate', async () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  assert.equal(pkg.bin['truvalidate'], './bin/truvalidate.js');
  const { stdout } = await execFileAsync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    timeout: 120_000,
  });
  const files = (JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((x) => x.path);
  for (const file of ['bin/truvalidate.js', 'dist/cjs/cli/main.js', 'dist/cjs/bundle.js', 'dist/cjs/cli/main.d.ts']) {
    assert.ok(files.includes(file), file);
  }
  assert.ok(!files.some((x) => x.startsWith('lib/') || x.startsWith('test/')));
});
