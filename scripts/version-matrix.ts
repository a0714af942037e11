/**
 * Version matrix: for each combination of Express 4/5 and Passport 0.6/0.7, a temp app installs the packed
 * tarball with that combination (`npm install`, npm cache first) and runs test/package/fixtures/smoke-app.cjs: a
 * push login approved through the emulator's control API, `GET /me`, logout, and the session ended at the API.
 *
 * Usage: `node --import tsx scripts/version-matrix.ts [tarball.tgz]` (`npm run version-matrix`); run by `npm test`
 * through test/package/version-matrix.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createTempApp, packTarball, repoRoot, runAsync } from './package-tools';

/** One combination of the matrix: npm version ranges. */
export interface Combination {
  express: string;
  passport: string;
}

/** Express 4 and 5 × Passport 0.6 and 0.7 (the peer ranges the package declares). */
export const COMBINATIONS: Combination[] = [
  { express: '^4.21.0', passport: '~0.6.0' },
  { express: '^4.21.0', passport: '~0.7.0' },
  { express: '^5.0.0', passport: '~0.6.0' },
  { express: '^5.0.0', passport: '~0.7.0' },
];

/** What smoke-app.cjs printed. */
export interface SmokeResult {
  ok: boolean;
  versions?: { express: string; passport: string };
  error?: string;
  steps: Record<string, unknown>;
}

/** Installs one combination in a temp app, runs the smoke flow there and resolves to its result. */
export async function runCombination(tarball: string, combo: Combination): Promise<SmokeResult> {
  // qrcode: the emulator's optional peer (its QR images), installed as an app that runs the emulator would.
  const app = await createTempApp(
    'matrix',
    {
      'passport-truvalidate': `file:${tarball}`,
      express: combo.express,
      'express-session': '^1.18.0',
      passport: combo.passport,
    },
    { qrcode: '^1.5.0' },
  );
  try {
    fs.copyFileSync(
      path.join(repoRoot, 'test', 'package', 'fixtures', 'smoke-app.cjs'),
      path.join(app.dir, 'smoke-app.cjs'),
    );
    const r = await runAsync(process.execPath, ['smoke-app.cjs'], app.dir, process.env);
    const line = r.stdout.trim().split('\n').pop() ?? '';
    try {
      return JSON.parse(line) as SmokeResult;
    } catch {
      return { ok: false, error: `smoke-app exited ${r.status}: ${r.stdout}\n${r.stderr}`, steps: {} };
    }
  } finally {
    app.remove();
  }
}

async function main(): Promise<void> {
  const given = process.argv[2];
  const tarball = given ? path.resolve(given) : await packTarball();
  let failed = false;
  for (const combo of COMBINATIONS) {
    const started = Date.now();
    const r = await runCombination(tarball, combo);
    const took = ((Date.now() - started) / 1000).toFixed(1);
    const label = `express ${combo.express} + passport ${combo.passport}`;
    if (r.ok && r.versions)
      console.log(`ok   ${label} (express@${r.versions.express}, passport@${r.versions.passport}) ${took}s`);
    else console.log(`FAIL ${label}: ${r.error} ${JSON.stringify(r.steps)}`);
    failed ||= !r.ok;
  }
  process.exit(failed ? 1 : 0);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
