/**
 * Runs the real `truvalidate` bin as a child process (from the TypeScript sources, TRUVALIDATE_CLI_FROM_SOURCE=1)
 * against an emulator on a free port, and plays the phone through the emulator's control API.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../lib/emulator';

/** The repository root. */
export const ROOT = join(__dirname, '..', '..');
/** The bin under test. */
export const BIN = join(ROOT, 'bin', 'truvalidate.js');

/** What a run printed and how it exited. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A running `truvalidate`; `done` resolves when it exits. */
export interface CliProcess {
  done: Promise<CliRun>;
  /** Sends a signal to the process (e.g. `SIGINT`, as Ctrl-C does). */
  kill(signal: NodeJS.Signals): void;
}

/** Starts `truvalidate ARGS...` (stdin closed, stdout and stderr piped, so neither is a terminal). */
export function startCli(args: readonly string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, TRUVALIDATE_CLI_FROM_SOURCE: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<CliRun>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`truvalidate ${args.join(' ')} did not exit within 60 s; stderr: ${stderr}`));
    }, 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  return { done, kill: (signal) => void child.kill(signal) };
}

/** Runs `truvalidate ARGS...` to the end. */
export function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return startCli(args, env).done;
}

/** Parses the single JSON object a `--json` run printed (throws when stdout holds anything else). */
export function json(run: CliRun): Record<string, unknown> {
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

/** The emulator under test, its keys as files, and the control API. */
export class CliFixture {
  private constructor(
    readonly emu: Emulator,
    readonly dir: string,
  ) {}

  /** Starts an emulator on a free port and writes its credentials' keys to files in a temporary folder. */
  static async start(): Promise<CliFixture> {
    const dir = mkdtempSync(join(tmpdir(), 'tv-cli-'));
    const emu = await startEmulator({ port: 0, dataDir: join(dir, 'emulator') });
    const f = new CliFixture(emu, dir);
    writeFileSync(f.keyFile('org'), emu.organization.privateKey);
    writeFileSync(f.keyFile('org-signature'), emu.organization.signatureKey);
    writeFileSync(f.keyFile('org-encryption'), emu.organization.encryptionKey);
    writeFileSync(f.keyFile('dir'), emu.directory.privateKey);
    writeFileSync(f.keyFile('svc'), emu.service.privateKey);
    return f;
  }

  /** Path of a key file written by {@link start}. */
  keyFile(name: 'org' | 'org-signature' | 'org-encryption' | 'dir' | 'svc'): string {
    return join(this.dir, `${name}.pem`);
  }

  /** The emulator's credentials.json. */
  get credentialsPath(): string {
    return this.emu.credentialsPath as string;
  }

  /** `service SVC_ID svc.pem --api URL`: the Service credential's three positionals and the API. */
  get asService(): string[] {
    return ['service', this.emu.service.id, this.keyFile('svc'), '--api', this.emu.url];
  }

  /** `directory DIR_ID dir.pem --api URL`. */
  get asDirectory(): string[] {
    return ['directory', this.emu.directory.id, this.keyFile('dir'), '--api', this.emu.url];
  }

  /** `organization ORG_ID org.pem --api URL`. */
  get asOrganization(): string[] {
    return ['organization', this.emu.organization.id, this.keyFile('org'), '--api', this.emu.url];
  }

  /** A control API call (plain JSON); throws on a status other than `expect`. */
  async control(method: string, path: string, body?: unknown, expect = 200): Promise<unknown> {
    const res = await fetch(`${this.emu.url}/_emulator${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== expect) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text === '' ? null : JSON.parse(text);
  }

  /** Waits (up to 30 s) for the user's pending authorization request and returns it. */
  async pendingAuth(
    user: string,
  ): Promise<{ authRequestId: string; title: string | null; context: string | null; denialReasons: unknown[] }> {
    const until = Date.now() + 30_000;
    while (Date.now() < until) {
      const list = (await this.control('GET', `/auths?user=${encodeURIComponent(user)}`)) as Array<{
        authRequestId: string;
        title: string | null;
        context: string | null;
        denialReasons: unknown[];
      }>;
      if (list.length > 0) return list[0]!;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no pending authorization request for ${user}`);
  }

  /** The phone answers the request: `approve`, `deny`, `fraud` or `fail`. */
  async respond(authRequestId: string, body: Record<string, unknown>): Promise<void> {
    await this.control('POST', `/auths/${authRequestId}/respond`, body);
  }

  /** `service_user_hash` of a user: base64url(SHA-256(service id + identifier)). */
  serviceUserHash(user: string): string {
    return createHash('sha256')
      .update(this.emu.service.id + user)
      .digest('base64url');
  }

  /** `org_user_hash` of a user: base64url(SHA-256(organization id + identifier)). */
  orgUserHash(user: string): string {
    return createHash('sha256')
      .update(this.emu.organization.id + user)
      .digest('base64url');
  }

  async close(): Promise<void> {
    await this.emu.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
