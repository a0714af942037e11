/** Starting the emulator for SDK tests and talking to its control API (the simulated phone). */
import { startEmulator, type Emulator } from '../../../lib/emulator';

export type { Emulator };

/** Starts an in-memory emulator on a free port. */
export function startTestEmulator(): Promise<Emulator> {
  return startEmulator({ port: 0 });
}

/** Calls the emulator's plain-JSON control API. */
export async function control<T = unknown>(emu: Emulator, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${emu.url}/_emulator${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${text}`);
  return (text === '' ? null : JSON.parse(text)) as T;
}

/** The device answers the request: approve, deny (optionally with a denial reason id) or fraud. */
export function respond(emu: Emulator, authRequestId: string, action: 'approve' | 'deny' | 'fraud', reason?: string): Promise<unknown> {
  return control(emu, 'POST', `/auths/${authRequestId}/respond`, reason === undefined ? { action } : { action, reason });
}

let counter = 0;
/** A fresh user identifier with one linked device. */
export async function linkedUser(emu: Emulator, prefix = 'user'): Promise<string> {
  const name = `${prefix}-${process.pid}-${++counter}`;
  await emu.linkUser(name);
  return name;
}
