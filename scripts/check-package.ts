/**
 * Lints the packed tarball as a consumer's tools see it: `@arethetypeswrong/cli` (every entry point under node10,
 * node16 from CJS, node16 from ESM and bundler resolution; no problem allowed, which is stricter than the node16
 * profile) and `publint --strict` (no error, warning or suggestion).
 *
 * Usage: `node --import tsx scripts/check-package.ts [tarball.tgz]` (`npm run check-package`); run by `npm test`
 * through test/package/tarball-lint.test.ts. Without a tarball it packs the current build (`npm run build` first).
 * It lints the tarball rather than using `attw --pack`, which would pack again and so build twice (prepare and
 * prepack).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packTarball, repoRoot, runAsync, type RunResult } from './package-tools';

const bin = (name: string) => path.join(repoRoot, 'node_modules', '.bin', name);

/** The result of {@link checkTarball}. */
export interface TarballCheck {
  /** attw's problems (`kind` and, where attw gives them, the files and entry point), empty when clean. */
  attwProblems: AttwProblem[];
  /** Per entry point (`.`, `./sdk`, ...) and resolution kind (`node10`, `node16-cjs`, ...): the types file, or null. */
  types: Record<string, Record<string, string | null>>;
  /** publint's output, and whether it exited with 0 and printed "All good!". */
  publint: { ok: boolean; output: string };
}

/** One problem attw found; file names are relative to the package root. */
export interface AttwProblem {
  kind: string;
  entrypoint?: string;
  resolutionKind?: string;
  typesFileName?: string;
  implementationFileName?: string;
}

interface AttwJson {
  analysis: {
    problems?: AttwProblem[];
    entrypoints: Record<string, { resolutions: Record<string, { resolution?: { fileName: string } }> }>;
  };
}

/**
 * Runs attw with its JSON report written to a file: attw calls process.exit() when it finds a problem, which can cut
 * a report written to a pipe short.
 */
async function runAttw(tarball: string): Promise<RunResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ptv-attw-'));
  const out = path.join(dir, 'attw.json');
  const fd = fs.openSync(out, 'w');
  try {
    const child = spawn(bin('attw'), [tarball, '--no-definitely-typed', '--format', 'json'], {
      stdio: ['ignore', fd, 'pipe'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const status = await new Promise<number | null>((resolve) => {
      child.on('error', (err) => {
        stderr += String(err);
        resolve(null);
      });
      child.on('close', resolve);
    });
    return { status, stdout: fs.readFileSync(out, 'utf8'), stderr };
  } finally {
    fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs attw and publint on `tarball`. Rejects only when a tool cannot run at all. */
export async function checkTarball(tarball: string): Promise<TarballCheck> {
  const [attw, publint] = await Promise.all([
    runAttw(tarball),
    runAsync(bin('publint'), ['run', tarball, '--strict'], repoRoot, process.env),
  ]);
  let json: AttwJson;
  try {
    json = JSON.parse(attw.stdout) as AttwJson;
  } catch {
    throw new Error(`attw did not print JSON (exit ${attw.status}):\n${attw.stdout}\n${attw.stderr}`);
  }
  const relative = (file: string) => file.replace(/^\/node_modules\/[^/]+\//, '');
  const types: TarballCheck['types'] = {};
  for (const [entry, info] of Object.entries(json.analysis.entrypoints)) {
    types[entry] = Object.fromEntries(
      Object.entries(info.resolutions).map(([kind, r]) => [
        kind,
        r.resolution ? relative(r.resolution.fileName) : null,
      ]),
    );
  }
  const attwProblems = (json.analysis.problems ?? []).map((p) => {
    const out: AttwProblem = { kind: p.kind };
    if (p.entrypoint !== undefined) out.entrypoint = p.entrypoint;
    if (p.resolutionKind !== undefined) out.resolutionKind = p.resolutionKind;
    if (p.typesFileName !== undefined) out.typesFileName = relative(p.typesFileName);
    if (p.implementationFileName !== undefined) out.implementationFileName = relative(p.implementationFileName);
    return out;
  });
  const output = `${publint.stdout}${publint.stderr}`.trim();
  return { attwProblems, types, publint: { ok: publint.status === 0 && /All good!/.test(output), output } };
}

async function main(): Promise<void> {
  const given = process.argv[2];
  const tarball = given ? path.resolve(given) : await packTarball();
  const r = await checkTarball(tarball);
  for (const [entry, kinds] of Object.entries(r.types)) {
    console.log(
      `${entry}: ${Object.entries(kinds)
        .map(([k, f]) => `${k} -> ${f ?? 'UNRESOLVED'}`)
        .join(', ')}`,
    );
  }
  console.log(r.attwProblems.length === 0 ? 'attw: no problems' : `attw: ${JSON.stringify(r.attwProblems, null, 2)}`);
  console.log(`publint: ${r.publint.output}`);
  process.exit(r.attwProblems.length === 0 && r.publint.ok ? 0 : 1);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
