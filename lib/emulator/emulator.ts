/** `startEmulator`: a running emulator of the TruValidate v3 API (docs/emulator.md). */
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { JweAlgorithm } from '../sdk/wire';
import { parseUuid } from '../sdk/wire';
import { EmulatorClock } from './clock';
import { dataDirError, EmulatorOptionError, listenError } from './errors';
import { rotateApiKeys, type ApiKeyIds } from './domain/api-keys';

import { addLinkedDevice } from './domain/users';
import { hostForUrl, isLoopbackHost, ownHosts } from './http/control-guard';
import { ReplayCache } from './http/replay-cache';
import { registerControlRoutes } from './control/control-api';
import { registerPublicRoutes } from './http/public-routes';
import { createEmulatorServer } from './http/server';
import { DEFAULT_RETENTION, type RetentionLimits } from './retention-limits';
import { Router } from './router';
import { registerApiRoutes } from './routes';
import type { EmulatorRuntime } from './runtime';
import { createInitialState } from './state/bootstrap';
import { EmulatorState } from './state/state';
import type { Credentials } from './state/types';
import type { WebhookDelivery } from './webhook-types';
import { closeWebhookAgents } from './webhooks';

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** TCP port; default 8080; 0 picks a free port. */
  port?: number;
  /**
   * Interface to bind; default `127.0.0.1`. Another than a loopback address lets anyone who can reach it approve
   * logins through the control API (a warning goes to `log`).
   */
  host?: string;
  /**
   * The base of every URL the emulator hands out (QR code URLs of device links, the simulator URL,
   * `credentials.json`), for an emulator behind a proxy or in a container, e.g. `http://emulator.localhost:8080`.
   * Its host is also accepted in `Host` by the control API. An http(s) origin without a path; default: the
   * listening URL.
   */
  publicUrl?: string;
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
  /**
   * Bounds of what the emulator keeps: `finishedAuthRequests` (default 200) answered, canceled or expired
   * authorization requests, each for at most `finishedAuthRequestSeconds` (default 3600) after it finished, and the
   * last `webhookLog` (default 1000) webhook deliveries. Devices whose link code expired are always dropped.
   */
  retention?: Partial<RetentionLimits>;
  /** Receives log lines (401 reasons, webhook deliveries, requests created); default: discard. */
  log?: (line: string) => void;
}

/** A running emulator: its URL, the developer credentials, test conveniences, and `close()`. */
export interface Emulator extends Credentials {
  /** The listening URL, e.g. `http://127.0.0.1:8080` (no trailing slash). */
  readonly url: string;
  /** The base of the URLs the emulator hands out: the `publicUrl` option, else {@link Emulator.url}. */
  readonly publicUrl: string;
  /** `DIR/credentials.json`, or null without `dataDir`. */
  readonly credentialsPath: string | null;
  /** The device simulator page, `${publicUrl}/_emulator/`. */
  readonly simulatorUrl: string;
  /** The last webhook delivery attempts (url, kind, status, time), oldest first (bounded by `retention`). */
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
  /** Stops listening, drops open connections and writes every unsaved change of the state. */
  close(): Promise<void>;
}

function writeCredentials(dataDir: string, url: string, credentials: Credentials): string {
  const file = join(dataDir, 'credentials.json');
  writeFileSync(file, `${JSON.stringify({ url, ...credentials }, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/** Parses a `publicUrl`: an absolute http(s) URL with no path (other than `/`), query, fragment or credentials. */
export function parsePublicUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new EmulatorOptionError(
      `publicUrl must be an absolute URL such as http://emulator.localhost:8080, got ${value}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EmulatorOptionError(`publicUrl must be an http or https URL, got ${value}`);
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new EmulatorOptionError(`publicUrl must be an origin only (scheme, host, port), got ${value}`);
  }
  return url;
}

/** The start-up warning for a bind address other than loopback. */
export function exposureWarning(host: string): string {
  return (
    `warning: listening on ${host}, not on a loopback address: anyone who can reach it can approve logins and ` +
    'link devices through the control API (/_emulator). Use it only on a network you trust.'
  );
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
  const publicUrl = options.publicUrl === undefined ? null : parsePublicUrl(options.publicUrl);
  const clock = new EmulatorClock();
  const log = options.log ?? (() => undefined);
  const onSaveError = (err: Error): void => log(`could not save the state: ${err.message}`);
  let state: EmulatorState | null = null;
  try {
    state = dataDir === null ? null : EmulatorState.load(dataDir, onSaveError);
  } catch (err) {
    throw dataDirError(err, dataDir ?? '');
  }
  if (!state) {
    const data = await createInitialState({ keyBits, singleApiKey: options.singleApiKey ?? false, now: clock.now() });
    state = new EmulatorState(data, dataDir, onSaveError);
  }
  if (dataDir !== null) {
    try {
      state.save();
      await state.flush(); // creates the folder; fails early when it cannot be written
    } catch (err) {
      throw dataDirError(err, dataDir);
    }
  }
  const rt: EmulatorRuntime = {
    state,
    clock,
    url: '',
    controlHosts: new Set(),
    leewaySeconds: options.leewaySeconds ?? 5,
    jweAlgorithm: options.jweAlgorithm ?? 'RSA-OAEP-256',
    keyBits,
    authResponseType: options.authResponseType ?? false,
    log,
    webhookLog: [],
    retention: { ...DEFAULT_RETENTION, ...options.retention },
    replayCache: new ReplayCache(),
  };
  const router = new Router();
  registerApiRoutes(router);
  registerControlRoutes(router);
  registerPublicRoutes(router);
  const server = createEmulatorServer(rt, router);
  await new Promise<void>((resolve, reject) => {
    const fail = (err: Error): void => reject(listenError(err, port, host));
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const listeningUrl = `http://${hostForUrl(address.address)}:${address.port}`;
  rt.url = publicUrl ? publicUrl.origin : listeningUrl;
  rt.controlHosts = ownHosts(host, address.port, publicUrl);
  if (!isLoopbackHost(host)) rt.log(exposureWarning(host));
  let credentialsPath: string | null = null;
  if (dataDir !== null) {
    try {
      credentialsPath = writeCredentials(dataDir, rt.url, state.data.credentials);
    } catch (err) {
      server.close();
      throw dataDirError(err, dataDir);
    }
  }
  const creds = state.data.credentials;
  const liveState = state;
  let closed = false;

  return {
    url: listeningUrl,
    publicUrl: rt.url,
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
      closeWebhookAgents(rt);
      await liveState.flush();
    },
  };
}
