/**
 * RedisStore on a managed-style Redis: TLS only (`--port 0 --tls-port`, a CA and a server certificate for
 * 127.0.0.1 generated with `openssl` in a temp dir at the start) and a password (`requirepass`, the `default`
 * user), reached with `rediss://default:PASSWORD@127.0.0.1:<port>`. The store takes no TLS options of its own: a
 * private CA goes either into the app's own client (`createClient({ url, socket: { tls: true, ca } })`, given as
 * `client`) or, for `url` alone, into Node's trust store (`NODE_EXTRA_CA_CERTS`).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { RedisStore, StoreUnavailableError, type RedisClient } from 'passport-truvalidate/redis';
import { startRedisServer, type RedisServer } from './helpers/redis-server';
import { storeCaseNames, storeCases } from './helpers/store-cases';

const PASSWORD = 'tls-test-s3cret';
const FROM_URL = join(__dirname, 'fixtures', 'store-from-url.ts');

/** A CA and a server certificate for IP 127.0.0.1 signed by it (EC P-256, one day), in `dir`. */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const file = (name: string): string => join(dir, name);
  const openssl = (args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'pipe', timeout: 10_000 });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl([
    'req',
    '-x509',
    ...ec,
    '-subj',
    '/CN=test CA',
    '-days',
    '1',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.crt'),
  ]);
  openssl(['req', ...ec, '-subj', '/CN=127.0.0.1', '-keyout', file('server.key'), '-out', file('server.csr')]);
  writeFileSync(file('ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  openssl([
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.crt'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('server.crt'),
    '-days',
    '1',
    '-extfile',
    file('ext.cnf'),
  ]);
  return { ca: file('ca.crt'), cert: file('server.crt'), key: file('server.key') };
}

/** Runs test/redis/fixtures/store-from-url.ts with `env`; resolves with the JSON line it prints. */
function storeFromUrl(env: Record<string, string>): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', FROM_URL],
      { env: { ...process.env, ...env }, timeout: 10_000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${err.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as Record<string, unknown>);
      },
    );
  });
}

describe('RedisStore over TLS with a password (rediss://default:PASSWORD@...)', () => {
  let dir: string;
  let files: { ca: string; cert: string; key: string };
  let server: RedisServer;
  const clients: RedisClient[] = [];
  const stores: RedisStore[] = [];
  let seq = 0;

  const urlWith = (password: string): string => `rediss://default:${password}@127.0.0.1:${server.port}`;

  /** A store on the app's own TLS client (CA pinned), as one app instance has. */
  const makeStore = (prefix: string, password = PASSWORD): RedisStore => {
    const client: RedisClient = createClient({
      url: urlWith(password),
      socket: { tls: true, ca: readFileSync(files.ca) },
    });
    client.on('error', () => undefined);
    clients.push(client);
    const store = new RedisStore({ client, prefix });
    stores.push(store);
    return store;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redis-tls-'));
    files = makeCertificates(dir);
    server = await startRedisServer([
      '--port',
      '0',
      '--tls-port',
      '__PORT__',
      '--tls-cert-file',
      files.cert,
      '--tls-key-file',
      files.key,
      '--tls-ca-cert-file',
      files.ca,
      '--tls-auth-clients',
      'no',
      '--requirepass',
      PASSWORD,
    ]);
  });

  after(async () => {
    for (const store of stores) await store.close();
    for (const client of clients) if (client.isOpen) client.destroy();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test(storeCaseNames.pendingAcrossInstances, () => storeCases.pendingAcrossInstances(makeStore, `t${++seq}:`));
  test(storeCaseNames.consumeRace, () => storeCases.consumeRace(makeStore, `t${++seq}:`));
  test(storeCaseNames.resultWakesOtherInstance, () => storeCases.resultWakesOtherInstance(makeStore, `t${++seq}:`));
  test(storeCaseNames.sharedMarkers, () => storeCases.sharedMarkers(makeStore, `t${++seq}:`));

  test('a wrong password is a prompt ERR_TRUVALIDATE_STORE_UNAVAILABLE naming WRONGPASS', async () => {
    const store = makeStore(`t${++seq}:`, 'wrong-password');
    const started = Date.now();
    await assert.rejects(store.getPending('p1'), (err: unknown) => {
      assert.ok(err instanceof StoreUnavailableError);
      assert.equal(err.code, 'ERR_TRUVALIDATE_STORE_UNAVAILABLE');
      assert.equal(err.status, 503);
      assert.equal(
        err.message,
        'Could not connect to Redis: WRONGPASS invalid username-password pair or user is disabled.',
      );
      return true;
    });
    assert.ok(Date.now() - started < 1000, `rejected after ${Date.now() - started} ms (connect timeout 1000 ms)`);
  });

  test('`url` alone, CA not trusted: the certificate is refused, a typed error', async () => {
    const store = new RedisStore({ url: urlWith(PASSWORD), prefix: `t${++seq}:` });
    stores.push(store);
    await assert.rejects(store.getPending('p1'), (err: unknown) => {
      assert.ok(err instanceof StoreUnavailableError);
      assert.equal(err.code, 'ERR_TRUVALIDATE_STORE_UNAVAILABLE');
      assert.equal(err.message, 'Could not connect to Redis: self-signed certificate in certificate chain.');
      return true;
    });
  });

  test('`url` alone works with the CA in NODE_EXTRA_CA_CERTS (store-owned client, own process)', async () => {
    const reply = await storeFromUrl({ REDIS_URL: urlWith(PASSWORD), NODE_EXTRA_CA_CERTS: files.ca });
    assert.deepEqual(reply, { taken: 'u1' });
  });

  test('`url` alone with a wrong password, CA trusted: the typed error, in its own process too', async () => {
    const reply = await storeFromUrl({ REDIS_URL: urlWith('wrong-password'), NODE_EXTRA_CA_CERTS: files.ca });
    assert.deepEqual(reply, {
      code: 'ERR_TRUVALIDATE_STORE_UNAVAILABLE',
      message: 'Could not connect to Redis: WRONGPASS invalid username-password pair or user is disabled.',
    });
  });
});
