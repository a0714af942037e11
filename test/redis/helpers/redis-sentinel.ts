/**
 * A real Redis Sentinel deployment for tests: one master (`redis-server`, see ./redis-server.ts), optionally one
 * replica of it, and one or more `redis-server --sentinel` processes on free loopback ports, each with its own config file in a temp dir
 * (`sentinel monitor <name> 127.0.0.1 <master port> 1`, a short `down-after-milliseconds`; Sentinel rewrites that
 * file, so it must be writable). `start` resolves once every sentinel reports the master's address (and knows the
 * replica, whose replication link is up); `failover` promotes the replica through Sentinel; `stop` kills
 * the processes and removes the temp dir. Every wait is bounded; a failed start stops what it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { freePort, startRedisServer, type RedisServer } from './redis-server';

const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';
const START_TIMEOUT_MS = 10_000;

/** Options of {@link startRedisSentinel}. */
export interface RedisSentinelOptions {
  /** Number of sentinel processes. Default: 1. */
  sentinels?: number;
  /** The monitored master's name. Default: `'mymaster'`. */
  name?: string;
  /** Whether to start a replica of the master (needed by {@link RedisSentinel.failover}). Default: false. */
  replica?: boolean;
  /**
   * A password for the data nodes (`requirepass`, and `masterauth` on the replica); the sentinels get it as
   * `sentinel auth-pass` (the sentinels themselves need none). Default: none.
   */
  password?: string;
}

/** One running Sentinel deployment. */
export interface RedisSentinel {
  /** The master's name, as `createSentinel({ name })` takes it. */
  name: string;
  /** The data nodes' password, or undefined. */
  password: string | undefined;
  /** The master the deployment started with (a replica after {@link RedisSentinel.failover}). */
  master: RedisServer;
  /** The replica (with `replica: true`), else null; the master after {@link RedisSentinel.failover}. */
  replica: RedisServer | null;
  /** `[{ host: '127.0.0.1', port }]` of every sentinel: the `sentinelRootNodes` of `createSentinel`. */
  sentinelRootNodes: Array<{ host: string; port: number }>;
  /**
   * `SENTINEL FAILOVER`: the replica becomes the master. Resolves once every sentinel names the replica's port
   * (bounded).
   */
  failover(): Promise<void>;
  /** Kills the sentinels, the master and the replica, removes the temp dir. */
  stop(): Promise<void>;
}

/** A sentinel process, resolved once it listens (its log says `Sentinel ID is`). */
function startSentinelProcess(configFile: string): Promise<ChildProcess> {
  const child = spawn(REDIS_SERVER, [configFile, '--sentinel'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise<ChildProcess>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => fail(new Error(`redis-server --sentinel did not start in 10 s:\n${output}`)),
      10_000,
    );
    const fail = (err: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Sentinel ID is')) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`redis-server --sentinel exited (${code}):\n${output}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Sends `command` to 127.0.0.1:`port` until `done(reply)` holds (every 50 ms, at most 10 s). */
async function until(
  port: number,
  command: string[],
  done: (reply: unknown) => boolean,
  what: string,
  password?: string,
): Promise<void> {
  const client = createClient({ password, socket: { host: '127.0.0.1', port, reconnectStrategy: false } });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const reply: unknown = await client.sendCommand(command);
      if (done(reply)) return;
      if (Date.now() > deadline) throw new Error(`:${port} ${what} in 10 s: ${JSON.stringify(reply)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    client.destroy();
  }
}

/** Resolves once the sentinel on `port` gives `masterPort` as the address of `name` (bounded). */
function untilMasterIs(port: number, name: string, masterPort: number): Promise<void> {
  return until(
    port,
    ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name],
    (reply) => Array.isArray(reply) && String(reply[0]) === '127.0.0.1' && Number(reply[1]) === masterPort,
    `does not name 127.0.0.1:${masterPort} as ${name}`,
  );
}

/** Resolves once the sentinel on `port` lists the replica on `replicaPort` with the flags `slave` only. */
function untilReplicaKnown(port: number, name: string, replicaPort: number): Promise<void> {
  return until(
    port,
    ['SENTINEL', 'REPLICAS', name],
    (reply) =>
      Array.isArray(reply) &&
      reply.some((fields: unknown) => {
        // a flat [key, value, ...] list (RESP2) or a map (RESP3)
        const list = Array.isArray(fields) ? fields.map(String) : [];
        const map = !Array.isArray(fields) && typeof fields === 'object' ? (fields as Record<string, unknown>) : null;
        const field = (key: string): string | undefined =>
          map ? String(map[key]) : list.indexOf(key) === -1 ? undefined : list[list.indexOf(key) + 1];
        return field('port') === String(replicaPort) && field('flags') === 'slave';
      }),
    `does not know the replica on ${replicaPort}`,
  );
}

/** Starts a master and `sentinels` sentinels monitoring it; on failure, stops what was started and rethrows. */
export async function startRedisSentinel(options: RedisSentinelOptions = {}): Promise<RedisSentinel> {
  const name = options.name ?? 'mymaster';
  const count = options.sentinels ?? 1;
  const password = options.password;
  const dir = mkdtempSync(join(tmpdir(), 'redis-sentinel-'));
  // `--dir`: a replica writes the RDB it syncs from its master to disk (dump.rdb); keep it in the temp dir. No 5 s
  // wait before a diskless sync to a replica (Redis's default `repl-diskless-sync-delay`).
  const nodeArgs = [
    ...['--dir', dir, '--repl-diskless-sync-delay', '0'],
    ...(password === undefined ? [] : ['--requirepass', password]),
  ];
  const children: ChildProcess[] = [];
  let master: RedisServer | null = null;
  let replica: RedisServer | null = null;
  const stop = async (): Promise<void> => {
    await Promise.all(children.map(kill));
    await master?.stop();
    await replica?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    master = await startRedisServer(nodeArgs);
    const masterPort = master.port;
    if (options.replica === true) {
      const masterAuth = password === undefined ? [] : ['--masterauth', password];
      replica = await startRedisServer([...nodeArgs, ...masterAuth, '--replicaof', '127.0.0.1', String(masterPort)]);
      await until(
        replica.port,
        ['INFO', 'replication'],
        (reply) => String(reply).includes('master_link_status:up'),
        'replication link not up',
        password,
      );
    }
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const port = await freePort();
      const configFile = join(dir, `sentinel-${port}.conf`);
      writeFileSync(
        configFile,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `sentinel monitor ${name} 127.0.0.1 ${masterPort} 1`,
          `sentinel down-after-milliseconds ${name} 1000`,
          `sentinel failover-timeout ${name} 5000`,
          ...(password === undefined ? [] : [`sentinel auth-pass ${name} ${password}`]),
          '',
        ].join('\n'),
      );
      children.push(await startSentinelProcess(configFile));
      ports.push(port);
    }
    await Promise.all(ports.map((port) => untilMasterIs(port, name, masterPort)));
    const replicaPort = replica?.port;
    if (replicaPort !== undefined) await Promise.all(ports.map((port) => untilReplicaKnown(port, name, replicaPort)));
    return {
      name,
      password,
      master,
      replica,
      sentinelRootNodes: ports.map((port) => ({ host: '127.0.0.1', port })),
      async failover() {
        if (replicaPort === undefined)
          throw new Error('failover needs a replica (startRedisSentinel({ replica: true }))');
        const [first] = ports as [number];
        await until(first, ['SENTINEL', 'FAILOVER', name], (reply) => String(reply) === 'OK', 'FAILOVER refused');
        await Promise.all(ports.map((port) => untilMasterIs(port, name, replicaPort)));
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
