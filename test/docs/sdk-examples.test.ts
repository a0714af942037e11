/**
 * The SDK documentation (docs/sdk.md, or README.md once merged) works as written: its TypeScript blocks are the
 * files of test/docs/examples/ verbatim, its tables match the code, and the examples and `curl` commands run
 * against a real emulator over loopback (started in process, and through the `truvalidate-emulator` command).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import express from 'express';
import {
  AdvancedAuthorizationResponse,
  AuthorizationInProgress,
  ConditionalGeoFencePolicy,
  DeviceLinkCompletionResponse,
  DirectoryFactory,
  EntityKeyNotFound,
  EntityNotFound,
  FactorsPolicy,
  GeoCircleFence,
  LaunchKeyAPIException,
  LaunchKeyError,
  MethodAmountPolicy,
  OrganizationFactory,
  ServiceFactory,
  SessionEndRequest,
  TerritoryFence,
  translateApiError,
  type DirectoryClient,
  type ServiceClient,
} from 'passport-truvalidate/sdk';
import * as sdk from 'passport-truvalidate/sdk';
import { resolveTransportOptions } from '../../lib/sdk/transport/options';
import { startTestEmulator, type Emulator } from '../fixtures/emulator';
import { allBlocks, docsWithBlocks, exampleFiles, ROOT, shellBlock } from './doc-examples';
import { serviceClientWithPythonDefaults } from './examples/custom-transport';
import { listDevices, startLinking, unlink } from './examples/devices';
import { requestLogin } from './examples/errors';
import { quickStartInProcess } from './examples/in-process-emulator';
import { loadCredentials, phone, quickStart } from './examples/quick-start';
import { createServiceWithPolicy } from './examples/services';
import { organizationClientWithSplitKeys } from './examples/single-purpose-keys';
import { checkTotp, disableTotp, enrollTotp } from './examples/totp';
import { registerWebhookUrls, webhookRoutes, type WebhookEvent } from './examples/webhooks';

const execFileAsync = promisify(execFile);

/** Runs a shell block of the docs with bash (asynchronously: the emulator answers from this process). */
async function runShell(name: string, env: Record<string, string>): Promise<string> {
  const { stdout } = await execFileAsync('bash', ['-euo', 'pipefail', '-c', shellBlock(name)], {
    env: { ...process.env, ...env },
    timeout: 20_000,
  });
  return stdout;
}

/**
 * The section of a doc under the heading `heading` (any level), up to the next heading of the same or a higher
 * level outside fenced code.
 */
function section(text: string, heading: string): string {
  const lines = text.split('\n');
  let fenced = false;
  let level = 0;
  const out: string[] = [];
  for (const line of lines) {
    if (line.startsWith('```')) fenced = !fenced;
    const h = fenced ? null : /^(#{1,6}) (.*?)\s*$/.exec(line);
    if (level === 0) {
      if (h && h[2] === heading) level = (h[1] as string).length;
      continue;
    }
    if (h && (h[1] as string).length <= level) break;
    out.push(line);
  }
  assert.ok(level > 0, `the docs have a "${heading}" section`);
  return out.join('\n');
}

/** The keys of a JSON value, nested (values replaced by their type). */
function shape(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return typeof value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, shape(v)]),
  );
}

/** The `credentials.json` example of the docs (the json block after "`credentials.json` looks like"). */
function documentedCredentials(): unknown {
  const { text } = docsWithBlocks()[0] as { text: string };
  const m = /`credentials\.json` looks like[^\n]*\n\n```json\n([\s\S]*?)\n```/.exec(text);
  assert.ok(m, 'the docs show credentials.json');
  return JSON.parse(m[1] as string);
}

let counter = 0;
function userName(prefix: string): string {
  return `${prefix}-${process.pid}-${++counter}`;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closeServer(server: Server | undefined): Promise<void> {
  if (!server?.listening) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * One emulator for every test of this file (the shared fixture; users have unique names). The command and
 * quickStartInProcess start their own, since starting one is what those examples show.
 */
let emulator: Emulator;
before(async () => {
  emulator = await startTestEmulator();
});
after(() => emulator.close());

describe('the SDK docs match the code', () => {
  test('every TypeScript block is its example file verbatim, and every example file is shown', () => {
    const blocks = allBlocks();
    assert.ok(docsWithBlocks().length > 0, 'docs/sdk.md (or README.md) has marked blocks');
    const files = exampleFiles();
    for (const file of files) {
      assert.ok(
        blocks.some((b) => b.kind === 'example' && b.name === file),
        `${file} is included in the docs`,
      );
    }
    for (const block of blocks.filter((b) => b.kind === 'example')) {
      assert.ok(files.includes(block.name), `${block.doc} includes ${block.name}, which is not an example file`);
      const text = readFileSync(join(ROOT, block.name), 'utf8');
      assert.equal(
        block.content,
        text,
        `${block.doc}: the block of ${block.name} differs from the file; run ` +
          `node --import tsx test/docs/doc-examples.ts --write`,
      );
    }
    for (const name of ['link-device', 'list-auths', 'approve', 'totp-code', 'logout']) {
      assert.ok(
        blocks.some((b) => b.kind === 'shell' && b.name === name),
        `shell block ${name} is in the docs`,
      );
    }
  });

  test('the errors table names real classes, their codes, and the API codes and statuses that produce them', () => {
    for (const { doc, text } of docsWithBlocks()) {
      const rows = [...section(text, 'Errors').matchAll(/^\| `(\w+)` \| `(ERR_\w+)` \|([^|]*)\|/gm)];
      assert.ok(rows.length >= 20, `${doc}: the errors table has its rows`);
      for (const [, name, code, api] of rows) {
        const cls = (sdk as Record<string, unknown>)[name as string];
        assert.equal(typeof cls, 'function', `${name} is exported from passport-truvalidate/sdk`);
        const ErrorClass = cls as new () => LaunchKeyError;
        const instance = new ErrorClass();
        assert.ok(instance instanceof LaunchKeyError, `${name} extends LaunchKeyError`);
        assert.equal(instance.code, code, `${name}.code`);
        const apiCode = /`([A-Z]{3}-\d{3})`/.exec(api as string)?.[1];
        const status = /\b(\d{3})\b/.exec(api as string)?.[1];
        if (apiCode !== undefined) {
          const err = translateApiError(
            { error_code: apiCode, error_detail: 'x' },
            Number(status ?? 400),
            'Bad Request',
          );
          assert.ok(err instanceof ErrorClass, `${apiCode} translates to ${name}`);
          assert.equal(err.errorCode, apiCode);
        } else if (status !== undefined) {
          const err = translateApiError(null, Number(status), 'reason');
          assert.ok(err instanceof ErrorClass, `HTTP ${status} translates to ${name}`);
          assert.equal(err.errorCode, `HTTP-${status}`);
          assert.equal(err.statusCode, Number(status));
        } else if ((api as string).includes('5xx')) {
          assert.ok(
            translateApiError(null, 503, 'Service Unavailable') instanceof ErrorClass,
            `5xx translates to ${name}`,
          );
        }
      }
    }
  });

  test('the transport options table gives the real defaults', () => {
    const defaults = resolveTransportOptions({}) as unknown as Record<string, unknown>;
    for (const { doc, text } of docsWithBlocks()) {
      const rows = [...section(text, 'Transport options').matchAll(/^\| `(\w+)` \| `([^`]+)` \|/gm)];
      assert.ok(rows.length >= 7, `${doc}: the transport options table has its rows`);
      for (const [, name, value] of rows) {
        assert.ok((name as string) in defaults, `${name} is a JOSETransport option`);
        assert.deepEqual(defaults[name as string], JSON.parse(value as string), `default of ${name}`);
      }
    }
  });
});

describe('quick start', () => {
  let child: ChildProcess | undefined;
  let dataDir: string | undefined;

  after(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('the truvalidate-emulator command writes credentials.json, and quickStart logs in with them', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tv-docs-'));
    const proc = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'truvalidate-emulator.js'), '--port', '0', '--data', dataDir],
      {
        env: { ...process.env, TRUVALIDATE_EMULATOR_FROM_SOURCE: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child = proc;
    let output = '';
    proc.stdout?.setEncoding('utf8');
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (chunk: string) => (output += chunk));
    const url = await new Promise<string>((resolve, reject) => {
      proc.stdout?.on('data', (chunk: string) => {
        output += chunk;
        const m = /listening on (http:\/\/\S+)/.exec(output);
        if (m && output.includes('Device simulator:')) resolve(m[1] as string);
      });
      proc.once('exit', (code) =>
        reject(new Error(`the emulator command exited (${code}) before listening:\n${output}`)),
      );
    });
    const credentials = loadCredentials(join(dataDir, 'credentials.json'));
    assert.equal(credentials.url, url);
    assert.deepEqual(
      shape(JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8'))),
      shape(documentedCredentials()),
      'credentials.json has the documented keys',
    );
    assert.match(
      output,
      new RegExp(`Credentials: ${join(dataDir, 'credentials.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
    const response = await quickStart(credentials, 'alice');
    assert.ok(response instanceof AdvancedAuthorizationResponse);
    assert.equal(response.authorized, true);
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(output, /TruValidate emulator stopped/);
  });

  test('quickStartInProcess: the same flow with startEmulator({ port: 0 })', async () => {
    assert.equal(await quickStartInProcess(), true);
  });

  test('the curl commands link a device, list the pending request and approve it', async () => {
    const user = userName('curl');
    const url = emulator.url;
    const directory = new DirectoryFactory(emulator.directory.id, emulator.directory.privateKey, {
      url,
    }).makeDirectoryClient();
    const link = await directory.linkDevice(user);
    const linked = JSON.parse(await runShell('link-device', { URL: url, CODE: link.code })) as {
      identifier: string;
      deviceId: string;
    };
    assert.deepEqual(linked, { identifier: user, deviceId: link.deviceId, webhook: null });
    const service = new ServiceFactory(emulator.service.id, emulator.service.privateKey, { url }).makeServiceClient();
    const request = await service.authorizationRequest(user, { title: 'Sign in', context: 'from curl' });
    const pending = JSON.parse(await runShell('list-auths', { URL: url, USER_ID: user })) as Array<{
      authRequestId: string;
      context: string;
    }>;
    assert.deepEqual(
      pending.map((p) => [p.authRequestId, p.context]),
      [[request.authRequest, 'from curl']],
    );
    assert.equal(
      await service.getAdvancedAuthorizationResponse(request.authRequest),
      null,
      'no answer before the phone approves',
    );
    const answer = JSON.parse(await runShell('approve', { URL: url, AUTH_REQUEST_ID: request.authRequest })) as {
      type: string;
    };
    assert.equal(answer.type, 'AUTHORIZED');
    const response = await service.getAdvancedAuthorizationResponse(request.authRequest);
    assert.equal(response?.authorized, true);
    assert.deepEqual(JSON.parse(await runShell('list-auths', { URL: url, USER_ID: user })), []);
  });

  test('a failing curl command fails the shell block (curl -f)', async () => {
    await assert.rejects(
      runShell('approve', { URL: emulator.url, AUTH_REQUEST_ID: '00000000-0000-1000-8000-000000000000' }),
    );
  });
});

describe('Organization and Directory clients', () => {
  let directory: DirectoryClient;
  let service: ServiceClient;
  let receiver: Server | undefined;

  before(() => {
    directory = new DirectoryFactory(emulator.directory.id, emulator.directory.privateKey, {
      url: emulator.url,
    }).makeDirectoryClient();
    service = new ServiceFactory(emulator.service.id, emulator.service.privateKey, {
      url: emulator.url,
    }).makeServiceClient();
  });
  after(() => closeServer(receiver));

  test('devices: QR code URL, pending then linked, unlink', async () => {
    const user = userName('devices');
    const link = await startLinking(directory, user);
    const image = await fetch(link.qrcodeUrl);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get('content-type'), 'image/png');
    assert.deepEqual([...new Uint8Array(await image.arrayBuffer()).subarray(1, 4)], [0x50, 0x4e, 0x47]);
    assert.deepEqual(
      (await listDevices(directory, user)).map((d) => [d.id, d.status]),
      [[link.deviceId, 'LINK_PENDING']],
    );
    await phone(emulator.url, '/devices/link', { code: link.qrcodeUrl }); // the QR code URL works as the code
    assert.deepEqual(
      (await listDevices(directory, user)).map((d) => [d.id, d.status]),
      [[link.deviceId, 'LINKED']],
    );
    await unlink(directory, user, link.deviceId);
    assert.deepEqual(await listDevices(directory, user), []);
    await assert.rejects(unlink(directory, user, link.deviceId), EntityNotFound);
  });

  test('TOTP: otpauth URI, the code from the emulator verifies, a wrong one does not, removal', async () => {
    const user = userName('totp');
    await emulator.linkUser(user);
    const uri = new URL(await enrollTotp(directory, user, 'Example'));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(decodeURIComponent(uri.pathname), `/Example:${user}`);
    assert.match(uri.searchParams.get('secret') ?? '', /^[A-Z2-7]{16,}$/);
    assert.equal(uri.searchParams.get('digits'), '6');
    assert.equal(uri.searchParams.get('period'), '30');
    const { code } = JSON.parse(await runShell('totp-code', { URL: emulator.url, USER_ID: user })) as { code: string };
    assert.match(code, /^\d{6}$/);
    assert.equal(await checkTotp(service, user, code), true);
    const wrong = String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
    assert.equal(await checkTotp(service, user, wrong), false);
    await disableTotp(directory, user);
    await assert.rejects(checkTotp(service, user, code), EntityNotFound);
  });

  test('services: a new directory service with its own key, callback URL and conditional geofence policy', async () => {
    const callbacks: string[] = [];
    receiver = createServer((req, res) => {
      callbacks.push(`${req.method} ${req.url} ${String(req.headers['x-iov-jwt'] !== undefined)}`);
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    const base = await listen(receiver);
    const created = await createServiceWithPolicy(emulator.url, emulator.directory, `${base}/callback`);
    const policy = created.policy;
    assert.ok(policy instanceof ConditionalGeoFencePolicy);
    assert.ok(policy.inside instanceof MethodAmountPolicy);
    assert.equal(policy.inside.amount, 2);
    assert.ok(policy.outside instanceof FactorsPolicy);
    assert.deepEqual(policy.outside.factors, ['INHERENCE', 'KNOWLEDGE']);
    assert.equal(policy.denyRootedJailbroken, true);
    assert.equal(policy.fences.length, 2);
    assert.ok(policy.fences[0] instanceof GeoCircleFence && policy.fences[0].name === 'Berlin office');
    assert.ok(policy.fences[1] instanceof TerritoryFence && policy.fences[1].administrativeArea === 'US-CA');
    const info = await directory.getService(created.serviceId);
    assert.equal(info.name, 'Shop');
    assert.equal(info.callbackUrl, `${base}/callback`);
    // The new key works: a user of the directory logs in to the new service, and its callback URL is called.
    const user = userName('shop');
    await emulator.linkUser(user);
    const request = await created.client.authorizationRequest(user);
    await phone(emulator.url, `/auths/${request.authRequest}/respond`, { action: 'approve' });
    assert.deepEqual(callbacks, ['POST /callback true']);
    assert.equal((await created.client.getAdvancedAuthorizationResponse(request.authRequest))?.authorized, true);
  });

  test(
    'single-purpose keys: signature key plus encryption key works; the ' + 'signature key alone cannot read answers',
    async () => {
      const org = organizationClientWithSplitKeys(emulator.url, emulator.organization);
      const directories = await org.getAllDirectories();
      assert.ok(directories.some((d) => d.id === emulator.directory.id));
      const signOnly = new OrganizationFactory(emulator.organization.id, emulator.organization.signatureKey, {
        url: emulator.url,
      }).makeOrganizationClient();
      await assert.rejects(signOnly.getAllDirectories(), EntityKeyNotFound);
    },
  );
});

describe('webhooks', () => {
  let app: Server | undefined;
  const events: WebhookEvent[] = [];

  after(async () => {
    emulator.setServiceCallbackUrl(emulator.service.id, null);
    emulator.setDirectoryWebhookUrl(emulator.directory.id, null);
    await closeServer(app);
  });

  test(
    'device link completion, authorization response and session end arrive ' + 'decoded; an unsigned post is refused',
    async () => {
      const url = emulator.url;
      const directory = new DirectoryFactory(emulator.directory.id, emulator.directory.privateKey, {
        url,
      }).makeDirectoryClient();
      const service = new ServiceFactory(emulator.service.id, emulator.service.privateKey, { url }).makeServiceClient();
      const application = express();
      application.use(webhookRoutes(service, directory, (event) => void events.push(event)));
      app = createServer(application);
      const base = await listen(app);
      await registerWebhookUrls(url, emulator, base);

      const user = userName('hooks');
      const link = await directory.linkDevice(user);
      await runShell('link-device', { URL: url, CODE: link.code });
      const linked = events.shift();
      assert.ok(linked instanceof DeviceLinkCompletionResponse, 'device link completion webhook');
      assert.equal(linked.deviceId, link.deviceId);
      assert.match(linked.devicePublicKey, /BEGIN PUBLIC KEY/);

      const request = await service.authorizationRequest(user);
      await runShell('approve', { URL: url, AUTH_REQUEST_ID: request.authRequest });
      const answer = events.shift();
      assert.ok(answer instanceof AdvancedAuthorizationResponse, 'authorization response webhook');
      assert.equal(answer.kind, 'authorization-response');
      assert.equal(answer.authorizationRequestId, request.authRequest);
      assert.equal(answer.authorized, true);

      await service.sessionStart(user, request.authRequest);
      await runShell('logout', { URL: url, USER_ID: user });
      const ended = events.shift();
      assert.ok(ended instanceof SessionEndRequest, 'session end webhook');
      assert.equal(ended.serviceUserHash, answer.serviceUserHash);
      assert.ok(ended.logoutRequested instanceof Date && !Number.isNaN(ended.logoutRequested.getTime()));
      assert.deepEqual(events, []);

      for (const path of ['/webhooks/truvalidate', '/webhooks/directory']) {
        const forged = await fetch(`${base}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"service_user_hash":"x","api_time":"2026-01-01T00:00:00Z"}',
        });
        assert.equal(forged.status, 400, `${path} refuses an unsigned webhook`);
      }
      assert.deepEqual(events, []);
    },
  );
});

describe('errors and transport options', () => {
  let service: ServiceClient;

  before(() => {
    service = new ServiceFactory(emulator.service.id, emulator.service.privateKey, {
      url: emulator.url,
    }).makeServiceClient();
  });

  test(
    'requestLogin tells an unknown user and a busy user apart; the error ' + 'carries code, errorCode, statusCode',
    async () => {
      assert.equal(await requestLogin(service, userName('nobody')), 'unknown user, or no linked device');
      const user = userName('busy');
      await emulator.linkUser(user);
      const first = await requestLogin(service, user);
      const id = /^sent (\S+)$/.exec(first)?.[1];
      assert.ok(id, first);
      assert.match(
        await requestLogin(service, user),
        new RegExp(`^busy with ${id} until \\d{4}-\\d\\d-\\d\\dT.*Z \\(same service: true\\)$`),
      );
      const err = await service.authorizationRequest(user).then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(
        err instanceof AuthorizationInProgress && err instanceof LaunchKeyAPIException && err instanceof LaunchKeyError,
      );
      assert.equal(err.code, 'ERR_TRUVALIDATE_AUTHORIZATION_IN_PROGRESS');
      assert.equal(err.errorCode, 'SVC-005');
      assert.equal(err.statusCode, 409);
      assert.equal(err.authorizationRequestId, id);
    },
  );

  test('a transport with the Python SDK algorithms (RS512, RSA-OAEP) logs in against the emulator', async () => {
    const client = serviceClientWithPythonDefaults(emulator.url, emulator.service);
    const user = userName('python');
    await emulator.linkUser(user);
    const request = await client.authorizationRequest(user, { context: 'RS512' });
    await phone(emulator.url, `/auths/${request.authRequest}/respond`, { action: 'deny' });
    const response = await client.getAdvancedAuthorizationResponse(request.authRequest);
    assert.equal(response?.authorized, false);
    assert.equal(response?.fraud, false);
  });
});
