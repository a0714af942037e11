/** Reads the emulator's `credentials.json` (`--credentials FILE`): the URL and the three entities' ids and keys. */
import { CliUsageError } from './errors';
import { readTextFile } from './files';

/** One entity of the file. */
export interface CredentialEntity {
  /** The entity id (UUID). */
  id: string;
  /** The dual-purpose private key (PEM). */
  privateKey: string;
}

/** The parts of `credentials.json` the command uses. */
export interface EmulatorCredentials {
  /** The emulator's base URL, used as `--api` unless one is given. */
  url: string;
  organization: CredentialEntity;
  directory: CredentialEntity;
  service: CredentialEntity;
}

function entity(file: string, json: Record<string, unknown>, name: string): CredentialEntity {
  const value = json[name];
  const obj = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  if (typeof obj['id'] !== 'string' || typeof obj['privateKey'] !== 'string') {
    throw new CliUsageError(
      `${file} has no "${name}" with an "id" and a "privateKey"; is it the emulator's credentials.json?`,
    );
  }
  return { id: obj['id'], privateKey: obj['privateKey'] };
}

/**
 * Reads and checks a credentials file written by the emulator (`DIR/credentials.json`).
 * @throws CliUsageError when the file is missing, unreadable, not JSON or lacks a part
 */
export function readCredentials(file: string): EmulatorCredentials {
  const text = readTextFile(file, 'credentials file');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CliUsageError(`the credentials file ${file} is not JSON: ${(err as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new CliUsageError(`the credentials file ${file} is not a JSON object`);
  const obj = json as Record<string, unknown>;
  if (typeof obj['url'] !== 'string')
    throw new CliUsageError(`${file} has no "url"; is it the emulator's credentials.json?`);
  return {
    url: obj['url'],
    organization: entity(file, obj, 'organization'),
    directory: entity(file, obj, 'directory'),
    service: entity(file, obj, 'service'),
  };
}
