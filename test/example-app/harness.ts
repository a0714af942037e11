/**
 * Test harness of the example app: a real emulator (in memory, free port, 2048-bit keys) and the real app
 * (`createApp`) listening on a free loopback port, with the emulator's service callback URL and directory webhook
 * URL pointed at the app, as `npm start` does. Shared by the HTTP tests and the browser tests.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { startTestEmulator, type TestEmulator } from '../fixtures/emulator';
import { createApp, type ExampleAppConfig } from '../../example-app/app';
import { DIRECTORY_WEBHOOK_PATH } from '../../example-app/routes/directory-webhook';

/** A running emulator + app pair. */
export interface Harness {
  /** Base URL of the app, e.g. `http://127.0.0.1:41234`. */
  appUrl: string;
  /** Base URL of the emulator. */
  emulatorUrl: string;
  /** The emulator object (test conveniences: `linkUser`, `shiftClock`, ...). */
  emulator: TestEmulator;
  /** Calls the emulator's control API (plain JSON); rejects on a non-2xx answer. */
  control<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** Stops the app and the emulator. */
  close(): Promise<void>;
}

/** Starts the emulator and the app. `overrides` change the app config (e.g. a short `loginTtlSeconds`). */
export async function startHarness(overrides: Partial<ExampleAppConfig> = {}): Promise<Harness> {
  const emulator = await startTestEmulator();
  let server: Server | null = null;
  try {
    const app = createApp({
      apiUrl: emulator.url,
      service: emulator.service,
      directory: emulator.directory,
      sessionSecret: 'test-session-secret-0123456789abcdef',
      simulatorUrl: `${emulator.url}/_emulator/`,
      log: (line) => console.error(`example app: ${line}`),
      ...overrides,
    });
    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
      s.once('error', reject);
    });
    const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    emulator.setServiceCallbackUrl(emulator.service.id, `${appUrl}/webhooks/truvalidate`);
    emulator.setDirectoryWebhookUrl(emulator.directory.id, `${appUrl}${DIRECTORY_WEBHOOK_PATH}`);
    const running = server;
    return {
      appUrl,
      emulatorUrl: emulator.url,
      emulator,
      control: async <T>(method: string, path: string, body?: unknown): Promise<T> => {
        const res = await fetch(`${emulator.url}/_emulator${path}`, {
          method,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${text}`);
        return (text ? JSON.parse(text) : null) as T;
      },
      close: async () => {
        running.closeAllConnections();
        await new Promise<void>((resolve) => running.close(() => resolve()));
        await emulator.close();
      },
    };
  } catch (error) {
    if (server) server.close();
    await emulator.close();
    throw error;
  }
}

/** Polls `check` every 50 ms until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
