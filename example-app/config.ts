import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

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

/** A PEM given inline, or the path of a file holding it. */
function readPem(value: string, name: string): string {
  if (value.includes('-----BEGIN')) return value.replace(/\\n/g, '\n');
  if (!existsSync(value)) throw new Error(`${name} is neither a PEM nor the path of a file (${value}).`);
  return readFileSync(value, 'utf8');
}

/** A port number from `env[name]`, or `fallback` when unset or empty. */
function portFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number, got "${raw}".`);
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
    throw new Error('Set all of TRUVALIDATE_API_URL, TRUVALIDATE_SERVICE_ID and TRUVALIDATE_PRIVATE_KEY, or none (emulator).');
  }
  let real: RealCredentials | null = null;
  if (apiUrl && serviceId && privateKey) {
    const directoryId = env['TRUVALIDATE_DIRECTORY_ID'];
    const directoryKey = env['TRUVALIDATE_DIRECTORY_PRIVATE_KEY'];
    real = {
      apiUrl,
      service: { id: serviceId, privateKey: readPem(privateKey, 'TRUVALIDATE_PRIVATE_KEY') },
      directory: directoryId && directoryKey
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
  };
}
