/**
 * A real Redis Sentinel deployment for tests: one master (`redis-server`, see ./redis-server.ts) and one or more
 * `redis-server --sentinel` processes on free loopback ports, each with its own config file in a temp dir
 * (`sentinel monitor <name> 127.0.0.1 <master port> 1`, a short `down-after-milliseconds`; Sentinel rewrites that
 * file, so it must be writable). `start` resolves once every sentinel reports the master's address; `stop` kills
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
}

/** One running Sentinel deployment. */
export interface RedisSentinel {
  /** The master's name, as `createSentinel({ name })` takes it. */
  name: string;
  /** The master. */
  master: RedisServer;
  /** `[{ host: '127.0.0.1', port }]` of every sentinel: the `sentinelRootNodes` of `createSentinel`. */
  sentinelRootNodes: Array<{ host: string; port: number }>;
  /** Kills the sentinels and the master, removes the temp dir. */
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

/** Resolves once the sentinel on `port` gives `masterPort` as the address of `name` (bounded). */
async function untilMasterKnown(port: number, name: string, masterPort: number): Promise<void> {
  const client = createClient({ socket: { host: '127.0.0.1', port, reconnectStrategy: false } });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const reply = await client.sendCommand(['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name]);
      if (Array.isArray(reply) && String(reply[0]) === '127.0.0.1' && Number(reply[1]) === masterPort) return;
      if (Date.now() > deadline) throw new Error(`sentinel :${port} does not know ${name}: ${JSON.stringify(reply)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    client.destroy();
  }
}

/** Starts a master and `sentinels` sentinels monitoring it; on failure, stops what was started and rethrows. */
export async function startRedisSentinel(options: RedisSentinelOptions = {}): Promise<RedisSentinel> {
  const name = options.name ?? 'mymaster';
  const count = options.sentinels ?? 1;
  const dir = mkdtempSync(join(tmpdir(), 'redis-sentinel-'));
  const children: ChildProcess[] = [];
  let master: RedisServer | null = null;
  const stop = async (): Promise<void> => {
    await Promise.all(children.map(kill));
    await master?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    master = await startRedisServer();
    const masterPort = master.port;
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
          '',
        ].join('\n'),
      );
      children.push(await startSentinelProcess(configFile));
      ports.push(port);
    }
    await Promise.all(ports.map((port) => untilMasterKnown(port, name, masterPort)));
    return {
      name,
      master,
      sentinelRootNodes: ports.map((port) => ({ host: '127.0.0.1', port })),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
