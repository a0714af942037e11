import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileError, StartupError } from './startup-errors';

/** Settings read from the environment by `main.ts`. */
export interface EnvSettings {
  /** `PORT` (default 3000). */
  port: number;
  /** `HOST` (default `127.0.0.1`). */
  host: string;
  /** `APP_URL`: the URL the API reaches the app's webhooks at (default `http://HOST:PORT`). */
  appUrl: string;
  /** `SESSION_SECRET` (default: random at each start, so sessions end with the process). */
  sessionSecret: string;
  /** Real TruValidate credentials, or null to start the emulator. */
  real: RealCredentials | null;
  /** `EMULATOR_PORT` (default 8080). */
  emulatorPort: number;
  /** `EMULATOR_DATA` (default `.data/emulator` in the project, git-ignored). */
  emulatorDataDir: string;
  /** `APP_DATA`: where the app keeps its accounts (default `.data/app` in the project, git-ignored). */
  appDataDir: string;
  /**
   * `TRUST_PROXY`: Express's `trust proxy` setting, for an app behind a TLS proxy (`1` = one proxy hop, `true`,
   * `loopback`, or addresses). Default: unset (false: `req.ip` and `req.protocol` come from the connection).
   */
  trustProxy: boolean | number | string;
}

/** Credentials of a real TruValidate service (and, optionally, of its directory for sign up and devices). */
export interface RealCredentials {
  /** `TRUVALIDATE_API_URL`. */
  apiUrl: string;
  /** `TRUVALIDATE_SERVICE_ID` and the PEM of `TRUVALIDATE_PRIVATE_KEY`. */
  service: { id: string; privateKey: string };
  /** `TRUVALIDATE_DIRECTORY_ID` and `TRUVALIDATE_DIRECTORY_PRIVATE_KEY`, or null when either is unset. */
  directory: { id: string; privateKey: string } | null;
}

/** A PEM given inline, or the path of a file holding it; a {@link StartupError} naming `name` otherwise. */
function readPem(value: string, name: string): string {
  if (value.includes('-----BEGIN')) return value.replace(/\\n/g, '\n');
  let text: string;
  try {
    text = readFileSync(value, 'utf8');
  } catch (error) {
    throw fileError(error, name, value);
  }
  if (!text.includes('-----BEGIN')) {
    throw new StartupError(
      'ERR_EXAMPLE_NOT_A_PEM',
      `${value} (${name}) holds no PEM key ("-----BEGIN ...").` +
        ` Set ${name} to the PEM itself or to the path of a PEM file.`,
    );
  }
  return text;
}

/** `TRUST_PROXY` as Express takes it: `true`/`false`, a hop count, or addresses/names (`loopback`). */
function trustProxyFrom(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  return /^\d+$/.test(raw) ? Number(raw) : raw;
}

/** A port number from `env[name]`, or `fallback` when unset or empty. */
function portFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new StartupError('ERR_EXAMPLE_BAD_PORT', `${name} must be a port number (0 to 65535), got "${raw}".`);
  }
  return value;
}

/**
 * Reads the example's settings. Real credentials need all three of `TRUVALIDATE_API_URL`,
 * `TRUVALIDATE_SERVICE_ID`, `TRUVALIDATE_PRIVATE_KEY`; `TRUVALIDATE_DIRECTORY_ID` and
 * `TRUVALIDATE_DIRECTORY_PRIVATE_KEY` add sign up, devices and TOTP setup.
 */
export function readEnv(env: NodeJS.ProcessEnv, projectRoot: string): EnvSettings {
  const port = portFrom(env, 'PORT', 3000);
  const host = env['HOST'] || '127.0.0.1';
  const apiUrl = env['TRUVALIDATE_API_URL'];
  const serviceId = env['TRUVALIDATE_SERVICE_ID'];
  const privateKey = env['TRUVALIDATE_PRIVATE_KEY'];
  const given = [apiUrl, serviceId, privateKey].filter(Boolean).length;
  if (given > 0 && given < 3) {
    throw new StartupError(
      'ERR_EXAMPLE_PARTIAL_CREDENTIALS',
      'Set all of TRUVALIDATE_API_URL, TRUVALIDATE_SERVICE_ID and TRUVALIDATE_PRIVATE_KEY, or none (emulator).',
    );
  }
  let real: RealCredentials | null = null;
  if (apiUrl && serviceId && privateKey) {
    const directoryId = env['TRUVALIDATE_DIRECTORY_ID'];
    const directoryKey = env['TRUVALIDATE_DIRECTORY_PRIVATE_KEY'];
    real = {
      apiUrl,
      service: { id: serviceId, privateKey: readPem(privateKey, 'TRUVALIDATE_PRIVATE_KEY') },
      directory:
        directoryId && directoryKey
          ? { id: directoryId, privateKey: readPem(directoryKey, 'TRUVALIDATE_DIRECTORY_PRIVATE_KEY') }
          : null,
    };
  }
  return {
    port,
    host,
    appUrl: env['APP_URL'] || `http://${host}:${port}`,
    sessionSecret: env['SESSION_SECRET'] || randomBytes(32).toString('hex'),
    real,
    emulatorPort: portFrom(env, 'EMULATOR_PORT', 8080),
    emulatorDataDir: env['EMULATOR_DATA'] || path.join(projectRoot, '.data', 'emulator'),
    appDataDir: env['APP_DATA'] || path.join(projectRoot, '.data', 'app'),
    trustProxy: trustProxyFrom(env['TRUST_PROXY']),
  };
}
