/**
 * A real `redis-server` for tests: started on a free loopback port, no persistence, stoppable and restartable on
 * the same port (to test outages), killed at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

const REDIS_SERVER = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';

/** A free TCP port on 127.0.0.1 (the OS picks it; it is released before use). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** One redis-server process (restartable on its port). */
export class RedisServer {
  readonly port: number;
  /** Extra `redis-server` arguments (e.g. `['--requirepass', 'secret']`); `__PORT__` stands for the port. */
  readonly extraArgs: string[];
  private child: ChildProcess | null = null;

  constructor(port: number, extraArgs: string[] = []) {
    this.port = port;
    this.extraArgs = extraArgs;
  }

  /** `redis://127.0.0.1:<port>` */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Whether the process is running. */
  get running(): boolean {
    return this.child !== null;
  }

  /** Starts the server and resolves once it accepts connections. */
  start(): Promise<void> {
    if (this.child) return Promise.resolve();
    const child = spawn(
      REDIS_SERVER,
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
        ...this.extraArgs.map((a) => (a === '__PORT__' ? String(this.port) : a)),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    return new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => fail(new Error(`redis-server did not start in 10 s:\n${output}`)), 10_000);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          child.stdout?.off('data', onData);
          child.stdout?.resume();
          resolve();
        }
      };
      const fail = (err: Error): void => {
        clearTimeout(timer);
        this.child = null;
        child.kill('SIGKILL');
        reject(err);
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.once('error', fail);
      child.once('exit', (code) => {
        if (this.child === child) this.child = null;
        clearTimeout(timer);
        if (!output.includes('Ready to accept connections'))
          reject(new Error(`redis-server exited (${code}):\n${output}`));
      });
    });
  }

  /** Kills the server (SIGKILL: an outage, not a clean shutdown) and resolves once it is gone. */
  stop(): Promise<void> {
    const child = this.child;
    if (!child) return Promise.resolve();
    this.child = null;
    return new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();
        return;
      }
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
      child.kill('SIGCONT');
    });
  }

  /** Freezes the server (SIGSTOP): connections stay open, nothing answers. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  /** Thaws a paused server (SIGCONT). */
  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** Stops then starts the server on the same port (empty: no persistence). */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }
}

/** Starts a redis-server on a free port, with `extraArgs` if given. */
export async function startRedisServer(extraArgs: string[] = []): Promise<RedisServer> {
  for (let attempt = 0; ; attempt++) {
    const server = new RedisServer(await freePort(), extraArgs);
    try {
      await server.start();
      return server;
    } catch (err) {
      if (attempt >= 2) throw err;
    }
  }
}
