/**
 * A real Redis Cluster for tests: three masters (`redis-server --cluster-enabled yes`, no replicas, no persistence)
 * on free loopback ports, each with its own cluster bus port and its `nodes.conf` in a temp dir. The slots are
 * split in three ranges, the nodes meet, and `start` resolves once every node reports `cluster_state:ok`. `stop`
 * kills the processes and removes the temp dir. Every wait is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import type { RedisClient } from 'passport-truvalidate/redis';
import { freePort } from './redis-server';

const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';
const SLOTS = 16384;
const START_TIMEOUT_MS = 15_000;

/** One running cluster. */
export interface RedisCluster {
  /** `redis://127.0.0.1:<port>` of every master, slot ranges in order. */
  urls: string[];
  /** `[{ url }]` of every master: the `rootNodes` of `createCluster`. */
  rootNodes: Array<{ url: string }>;
  /** The master serving `slot` (its URL). */
  urlOfSlot(slot: number): string;
  /** Kills every node and removes the temp dir. */
  stop(): Promise<void>;
}

interface Node {
  port: number;
  busPort: number;
  child: ChildProcess;
}

function startNode(dir: string, port: number, busPort: number): Promise<Node> {
  const child = spawn(
    REDIS_SERVER,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--cluster-enabled',
      'yes',
      '--cluster-port',
      String(busPort),
      '--cluster-config-file',
      join(dir, `nodes-${port}.conf`),
      '--cluster-node-timeout',
      '5000',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise<Node>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => fail(new Error(`redis-server (cluster node) did not start in 10 s:\n${output}`)),
      10_000,
    );
    const fail = (err: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve({ port, busPort, child });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', fail);
    child.once('exit', (code) => {
      if (!output.includes('Ready to accept connections')) fail(new Error(`redis-server exited (${code}):\n${output}`));
    });
  });
}

function kill(node: Node): Promise<void> {
  const child = node.child;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function withClient<T>(port: number, fn: (client: RedisClient) => Promise<T>): Promise<T> {
  const client: RedisClient = createClient({
    url: `redis://127.0.0.1:${port}`,
    socket: { connectTimeout: 2000, reconnectStrategy: false },
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    client.destroy();
  }
}

/** Slot ranges `[first, last]` of `count` masters. */
function ranges(count: number): Array<[number, number]> {
  const size = Math.ceil(SLOTS / count);
  return Array.from({ length: count }, (_, i) => [i * size, Math.min(SLOTS, (i + 1) * size) - 1]);
}

/** Starts a cluster of `masters` (default 3) masters; on failure, stops what was started. */
export async function startRedisCluster(masters = 3): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'truvalidate-redis-cluster-'));
  const nodes: Node[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map(kill));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ports = new Set<number>();
    while (ports.size < masters * 2) ports.add(await freePort());
    const list = [...ports];
    const started = await Promise.allSettled(
      Array.from({ length: masters }, (_, i) => startNode(dir, list[2 * i] as number, list[2 * i + 1] as number)),
    );
    for (const s of started) if (s.status === 'fulfilled') nodes.push(s.value);
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;

    const slotRanges = ranges(masters);
    for (const [i, node] of nodes.entries()) {
      const [first, last] = slotRanges[i] as [number, number];
      await withClient(node.port, async (client) => {
        await client.sendCommand(['CLUSTER', 'ADDSLOTSRANGE', String(first), String(last)]);
        for (const other of nodes) {
          if (other !== node)
            await client.sendCommand(['CLUSTER', 'MEET', '127.0.0.1', String(other.port), String(other.busPort)]);
        }
      });
    }
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (const node of nodes) {
      for (;;) {
        const info = await withClient(node.port, (client) => client.sendCommand<string>(['CLUSTER', 'INFO']));
        if (/cluster_state:ok/.test(String(info)) && new RegExp(`cluster_known_nodes:${masters}\\b`).test(String(info)))
          break;
        if (Date.now() > deadline)
          throw new Error(`the Redis Cluster did not converge in ${START_TIMEOUT_MS} ms:\n${String(info)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const urls = nodes.map((n) => `redis://127.0.0.1:${n.port}`);
    return {
      urls,
      rootNodes: urls.map((url) => ({ url })),
      urlOfSlot(slot) {
        const index = slotRanges.findIndex(([first, last]) => slot >= first && slot <= last);
        return urls[index] as string;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
