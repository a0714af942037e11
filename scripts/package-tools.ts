/**
 * Shared by the package checks (scripts/check-package.ts, scripts/measure-install.ts, scripts/version-matrix.ts and
 * the tests under test/package/): pack the built package once, create throw-away apps that install the tarball the
 * way a stranger would (`npm install <tarball>`, npm cache first), and measure what an install added.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The repository root. */
export const repoRoot = path.join(__dirname, '..');

const packageJson = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  files: string[];
};

/** Lists every file under `p` (a file or a folder), recursively, sorted. Missing paths list nothing. */
function listFiles(p: string): string[] {
  if (!fs.existsSync(p)) return [];
  if (!fs.statSync(p).isDirectory()) return [p];
  return fs
    .readdirSync(p, { withFileTypes: true })
    .flatMap((e) => listFiles(path.join(p, e.name)))
    .sort();
}

/** A key that changes whenever a file the tarball ships changes (path, size, mtime), or package.json does. */
function contentKey(): string {
  const hash = createHash('sha256').update(fs.readFileSync(path.join(repoRoot, 'package.json')));
  for (const entry of packageJson.files) {
    for (const file of listFiles(path.join(repoRoot, entry))) {
      const st = fs.statSync(file);
      hash.update(`${path.relative(repoRoot, file)}\0${st.size}\0${st.mtimeMs}\n`);
    }
  }
  return hash.digest('hex').slice(0, 16);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Packs the built package (`npm pack`, without the `prepack` build: `npm test` builds first) and resolves to the
 * tarball's absolute path. The tarball is cached under the OS temp folder by content, and a lock folder makes
 * concurrent callers (test files run in parallel) pack only once.
 */
export async function packTarball(): Promise<string> {
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'cjs', 'index.js'))) {
    throw new Error('packTarball: dist/ is not built; run `npm run build` first');
  }
  const cacheRoot = path.join(os.tmpdir(), 'passport-truvalidate-pack');
  const dir = path.join(cacheRoot, contentKey());
  const tarball = path.join(dir, `${packageJson.name}-${packageJson.version}.tgz`);
  const lock = `${dir}.lock`;
  fs.mkdirSync(cacheRoot, { recursive: true });
  for (let waited = 0; !fs.existsSync(tarball); waited += 100) {
    try {
      fs.mkdirSync(lock);
    } catch {
      // Another process packs; a lock older than two minutes is left over from a killed one.
      if (waited > 120_000 || Date.now() - fs.statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 120_000) {
        fs.rmSync(lock, { recursive: true, force: true });
      }
      await sleep(100);
      continue;
    }
    try {
      const tmp = `${dir}.tmp-${process.pid}`;
      fs.rmSync(tmp, { recursive: true, force: true });
      fs.mkdirSync(tmp);
      run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', tmp], repoRoot);
      fs.renameSync(tmp, dir);
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
  return tarball;
}

/** The environment for a child `npm`: without the npm_* variables of a parent `npm test` (prefix, package...). */
export function npmEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig']);
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) || keep.has(k.toLowerCase())),
  );
}

/** Runs a command synchronously; throws with its output when it fails. Resolves to stdout. */
export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = npmEnv()): string {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(' ')} (in ${cwd}) failed with ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`,
    );
  }
  return r.stdout;
}

/** Result of {@link runAsync}. */
export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command without blocking the event loop (several temp apps install at once). Never rejects. */
export function runAsync(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = npmEnv(),
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) => resolve({ status: null, stdout, stderr: stderr + String(err) }));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The flags of every `npm install` into a temp app: npm cache first, no audit, no funding notice. */
export const INSTALL_FLAGS = [
  '--prefer-offline',
  '--no-audit',
  '--no-fund',
  '--no-update-notifier',
  '--loglevel=error',
];

/** Runs `npm install <args>` in `dir`; throws with npm's output when it fails. */
export async function npmInstall(dir: string, args: string[] = []): Promise<void> {
  const r = await runAsync('npm', ['install', ...INSTALL_FLAGS, ...args], dir);
  if (r.status !== 0)
    throw new Error(`npm install ${args.join(' ')} in ${dir} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
}

/** A throw-away app folder under the OS temp folder. */
export interface TempApp {
  dir: string;
  /** Removes the folder (kept when KEEP_TEMP_APPS=1, for debugging). */
  remove(): void;
}

/**
 * Creates a temp app whose package.json lists `dependencies` and `devDependencies`, and installs them
 * (`npm install`). Give the tarball as `file:<path>`.
 */
export async function createTempApp(
  label: string,
  dependencies: Record<string, string>,
  devDependencies: Record<string, string> = {},
): Promise<TempApp> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ptv-${label}-`));
  const remove = () => {
    if (process.env.KEEP_TEMP_APPS !== '1') fs.rmSync(dir, { recursive: true, force: true });
  };
  const pkg = { name: `ptv-${label}`, version: '1.0.0', private: true, dependencies, devDependencies };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  try {
    await npmInstall(dir);
  } catch (err) {
    remove();
    throw err;
  }
  return { dir, remove };
}

/** The packages installed in an app: the entries of `node_modules/.package-lock.json` (npm's hidden lockfile). */
export function installedPackages(dir: string): string[] {
  const lock = path.join(dir, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(lock)) return [];
  const packages = (JSON.parse(fs.readFileSync(lock, 'utf8')) as { packages: Record<string, unknown> }).packages;
  return Object.keys(packages)
    .filter((p) => p !== '')
    .sort();
}

/** Disk usage of a folder in bytes, as `du` counts it (allocated 512-byte blocks; symlinks not followed). */
export function diskUsage(p: string): number {
  const st = fs.lstatSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  let total = st.blocks * 512;
  if (st.isDirectory()) for (const name of fs.readdirSync(p)) total += diskUsage(path.join(p, name));
  return total;
}
