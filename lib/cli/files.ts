/** Reading the command's input files with usage errors that name the file and the problem. */
import { readFileSync } from 'node:fs';
import { CliUsageError } from './errors';

/**
 * Reads a UTF-8 text file.
 * @param what what the file is, for the message (e.g. `private key file`)
 * @throws CliUsageError when it does not exist, is a folder or cannot be read
 */
export function readTextFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a folder'
          : code === 'EACCES'
            ? 'permission denied'
            : (err as Error).message;
    throw new CliUsageError(`cannot read the ${what} ${file}: ${why}`, { cause: err });
  }
}
