/**
 * Measures what `npm install <tarball>` adds to an app that already has express, express-session and passport:
 * packages added and disk used (allocated blocks, as `du` counts; MB = 10^6 bytes).
 *
 * Usage: `node --import tsx scripts/measure-install.ts [tarball.tgz] [--json]` (`npm run measure-install`).
 * Without a tarball it packs the current build (run `npm run build` first).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createTempApp, diskUsage, installedPackages, npmInstall, packTarball, type TempApp } from './package-tools';

/** What an install of the package added. */
export interface InstallMeasure {
  /** Packages that were not installed before (`node_modules/...` paths), sorted. */
  added: string[];
  /** Bytes on disk added to `node_modules`. */
  addedBytes: number;
  /** Versions of the app's own dependencies. */
  baseline: Record<string, string>;
}

/** The dependencies of the measured app, a typical Express app with sessions and Passport. */
export const BASELINE = { express: '^5.0.0', 'express-session': '^1.18.0', passport: '^0.7.0' };

function version(app: TempApp, name: string): string {
  return (
    JSON.parse(fs.readFileSync(path.join(app.dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }
  ).version;
}

/**
 * Creates the baseline app, installs the tarball into it and measures the difference. The app is returned
 * (installed, with the package) for further checks; the caller removes it.
 */
export async function measureInstall(tarball: string): Promise<{ measure: InstallMeasure; app: TempApp }> {
  const app = await createTempApp('measure', BASELINE);
  try {
    const before = new Set(installedPackages(app.dir));
    const bytesBefore = diskUsage(path.join(app.dir, 'node_modules'));
    await npmInstall(app.dir, [tarball]);
    const added = installedPackages(app.dir).filter((p) => !before.has(p));
    const addedBytes = diskUsage(path.join(app.dir, 'node_modules')) - bytesBefore;
    const baseline = Object.fromEntries(Object.keys(BASELINE).map((name) => [name, version(app, name)]));
    return { measure: { added, addedBytes, baseline }, app };
  } catch (err) {
    app.remove();
    throw err;
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const given = args.find((a) => !a.startsWith('--'));
  const tarball = given ? path.resolve(given) : await packTarball();
  const { measure, app } = await measureInstall(tarball);
  app.remove();
  if (json) {
    console.log(JSON.stringify(measure));
    return;
  }
  const base = Object.entries(measure.baseline)
    .map(([n, v]) => `${n}@${v}`)
    .join(', ');
  console.log(`npm install ${path.basename(tarball)} into an app with ${base}:`);
  console.log(`added ${measure.added.length} packages, ${(measure.addedBytes / 1e6).toFixed(2)} MB on disk`);
  for (const p of measure.added) console.log(`  ${p.replace(/^node_modules\//, '')}`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
