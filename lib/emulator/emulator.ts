/** `startEmulator`: a running emulator of the TruValidate v3 API (docs/emulator.md). */
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { JweAlgorithm } from '../sdk/constants';
import { parseUuid } from '../sdk/utils';
import { EmulatorClock } from './clock';
import { rotateApiKeys, type ApiKeyIds } from './domain/api-keys';
import { addLinkedDevice } from './domain/users';
import { ReplayCache } from './http/replay-cache';
import { createEmulatorServer } from './http/server';
import { Router } from './router';
import { registerApiRoutes } from './routes';
import type { EmulatorRuntime } from './runtime';
import { createInitialState } from './state/bootstrap';
import { EmulatorState } from './state/state';
import type { Credentials } from './state/types';
import type { WebhookDelivery } from './webhooks';

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** TCP port; default 8080; 0 picks a free port. */
  port?: number;
  /** Interface to bind; default `127.0.0.1`. */
  host?: string;
  /** Folder for `state.json` and `credentials.json`; absent = state in memory only. */
  dataDir?: string;
  /** RSA key size of generated keys (first start, devices); default 2048. */
  keyBits?: 2048 | 4096;
  /** Leeway in seconds for request JWT times; default 5. */
  leewaySeconds?: number;
  /** One API key that both signs and encrypts instead of two separate keys (first start only); default false. */
  singleApiKey?: boolean;
  /** `alg` of the JWEs the emulator sends; default `RSA-OAEP-256`. */
  jweAlgorithm?: JweAlgorithm;
  /**
   * Adds `"type": "AUTHORIZATION_RESPONSE"` to the body of authorization response webhooks (never to the
   * `GET auths/{id}` result); default false, the body then has no `type` (docs/protocol.md §11.4, §11.5).
   */
  authResponseType?: boolean;
  /** Receives log lines (401 reasons, webhook deliveries, requests created); default: discard. */
  log?: (line: string) => void;
}

/** A running emulator: its URL, the developer credentials, test conveniences, and `close()`. */
export interface Emulator extends Credentials {
  /** Base URL, e.g. `http://127.0.0.1:8080` (no trailing slash). */
  readonly url: string;
  /** `DIR/credentials.json`, or null without `dataDir`. */
  readonly credentialsPath: string | null;
  /** The device simulator page, `${url}/_emulator/`. */
  readonly simulatorUrl: string;
  /** Every webhook delivery attempt so far (url, kind, status, time), oldest first. */
  readonly webhookLog: readonly WebhookDelivery[];
  /** The live state (for tests that need to look inside). */
  readonly state: EmulatorState;
  /** Sets (or clears with null) a service's callback URL (authorization response and session end webhooks). */
  setServiceCallbackUrl(serviceId: string, url: string | null): void;
  /** Sets (or clears with null) a directory's webhook URL (device link completion webhooks). */
  setDirectoryWebhookUrl(directoryId: string, url: string | null): void;
  /**
   * Creates the user if needed and gives it one LINKED device at once (no link code, no webhook).
   * `directoryId` defaults to the directory created on first start.
   */
  linkUser(identifier: string, options?: { directoryId?: string }): Promise<{ deviceId: string }>;
  /** Moves the emulator clock by `seconds` (may be negative; offsets add up). */
  shiftClock(seconds: number): void;
  /**
   * Rotates the API keys: a new current encryption key (and with `signing: true` a new signing key); previous keys
   * keep decrypting request bodies (grace period) and stay available by id.
   */
  rotateApiKeys(options?: { signing?: boolean }): Promise<ApiKeyIds>;
  /** Stops listening, drops open connections and saves the state. */
  close(): Promise<void>;
}

function writeCredentials(dataDir: string, url: string, credentials: Credentials): string {
  const file = join(dataDir, 'credentials.json');
  writeFileSync(file, `${JSON.stringify({ url, ...credentials }, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/**
 * Starts an emulator. On first start (no `DIR/state.json`) it generates the API keys and an organization (a
 * dual-purpose, a signature-only and an encryption-only key) with one directory and one directory service;
 * later starts with the same `dataDir` reuse everything. Writes `DIR/credentials.json` on every start.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8080;
  const keyBits = options.keyBits ?? 2048;
  const dataDir = options.dataDir ?? null;
  const clock = new EmulatorClock();
  let state = dataDir === null ? null : EmulatorState.load(dataDir);
  if (!state) {
    const data = await createInitialState({ keyBits, singleApiKey: options.singleApiKey ?? false, now: clock.now() });
    state = new EmulatorState(data, dataDir);
  }
  const rt: EmulatorRuntime = {
    state,
    clock,
    url: '',
    leewaySeconds: options.leewaySeconds ?? 5,
    jweAlgorithm: options.jweAlgorithm ?? 'RSA-OAEP-256',
    keyBits,
    authResponseType: options.authResponseType ?? false,
    log: options.log ?? (() => undefined),
    webhookLog: [],
    replayCache: new ReplayCache(),
  };
  const router = new Router();
  registerApiRoutes(router);
  const server = createEmulatorServer(rt, router);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  rt.url = `http://${urlHost}:${address.port}`;
  let credentialsPath: string | null = null;
  if (dataDir !== null) {
    state.save(); // creates the folder
    credentialsPath = writeCredentials(dataDir, rt.url, state.data.credentials);
  }
  const creds = state.data.credentials;
  const liveState = state;
  let closed = false;

  return {
    url: rt.url,
    credentialsPath,
    simulatorUrl: `${rt.url}/_emulator/`,
    organization: creds.organization,
    directory: creds.directory,
    service: creds.service,
    get webhookLog() {
      return rt.webhookLog;
    },
    state: liveState,
    setServiceCallbackUrl(serviceId, url) {
      const s = liveState.findService(serviceId);
      if (!s) throw new Error(`no service ${serviceId}`);
      s.callbackUrl = url;
      liveState.save();
    },
    setDirectoryWebhookUrl(directoryId, url) {
      const d = liveState.findDirectory(directoryId);
      if (!d) throw new Error(`no directory ${directoryId}`);
      d.webhookUrl = url;
      liveState.save();
    },
    async linkUser(identifier, opts = {}) {
      const dirId = parseUuid(opts.directoryId ?? creds.directory.id);
      const d = dirId === null ? undefined : liveState.findDirectory(dirId);
      if (!d) throw new Error(`no directory ${String(opts.directoryId)}`);
      return { deviceId: addLinkedDevice(rt, d, identifier).id };
    },
    shiftClock(seconds) {
      clock.shift(seconds);
    },
    rotateApiKeys(opts) {
      return rotateApiKeys(rt, opts);
    },
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      liveState.save();
    },
  };
}
