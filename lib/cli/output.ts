/**
 * What a command gives back and how it is printed: text for people, or exactly one JSON object on stdout with
 * `--json`. Progress goes to stderr.
 */
import { EXIT_OK, type ExitCode } from './errors';
import { renderQr } from './qr';

/** A stream the command writes to; `isTTY` decides the countdown (stderr) and the QR codes (stdout). */
export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** The command's streams (default: `process.stdout` and `process.stderr`). */
export interface Io {
  stdout: OutStream;
  stderr: OutStream;
}

/** A QR code to draw under the text when stdout is a terminal (never with `--json`). */
export interface QrContent {
  /** The encoded text (a link code, an `otpauth://` URI). */
  text: string;
  /** What it is, printed above it. */
  label: string;
}

/** The outcome of a command. */
export interface CommandResult {
  /** 0 (success) or 1 (negative answer). */
  exitCode: ExitCode;
  /** The `--json` object (keys documented in the README). */
  json: Record<string, unknown>;
  /** The text printed without `--json`. */
  lines: string[];
  /** A QR code drawn after the text on a terminal. */
  qr?: QrContent;
}

/** A successful result. */
export function ok(json: Record<string, unknown>, lines: string[], qr?: QrContent): CommandResult {
  return qr === undefined ? { exitCode: EXIT_OK, json, lines } : { exitCode: EXIT_OK, json, lines, qr };
}

/** `  Label:  value` lines with the values aligned; null and undefined print as `-`. */
export function fields(pairs: ReadonlyArray<readonly [string, unknown]>): string[] {
  const width = Math.max(0, ...pairs.map(([label]) => label.length)) + 1;
  return pairs.map(([label, value]) => `  ${`${label}:`.padEnd(width)}  ${display(value)}`);
}

function display(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (Array.isArray(value)) return value.length === 0 ? '-' : value.map(display).join(', ');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** Prints a result: the JSON object alone with `json`, else the lines (and the QR code on a terminal). */
export async function printResult(result: CommandResult, json: boolean, io: Io): Promise<void> {
  if (json) {
    io.stdout.write(`${JSON.stringify(result.json, null, 2)}\n`);
    return;
  }
  io.stdout.write(result.lines.map((l) => `${l}\n`).join(''));
  if (result.qr !== undefined && io.stdout.isTTY === true) {
    const drawing = await renderQr(result.qr.text);
    if (drawing === null)
      io.stderr.write('truvalidate: install the optional `qrcode` package to see QR codes here: npm install qrcode\n');
    else io.stdout.write(`\n${result.qr.label}:\n${drawing}`);
  }
}
