/**
 * App instances as separate processes (`test/redis/fixtures/app-instance.ts` under tsx), each listening on a free
 * loopback port, reporting its port over IPC. Killed with SIGKILL (a crash) or at the end of the test.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'app-instance.ts');

/** Settings every instance of a cluster shares. */
export interface InstanceEnv {
  /** Redis URL shared by every instance; empty for the memory store (a single instance), a Cluster or Sentinel. */
  REDIS_URL: string;
  /** Comma-separated root node URLs of a Redis Cluster shared by every instance; empty otherwise. */
  REDIS_CLUSTER_URLS?: string;
  /** `<master name>@<host>:<port>,...` of a Sentinel deployment shared by every instance; empty otherwise. */
  REDIS_SENTINEL?: string;
  /** Key prefix of the strategy's store. */
  STORE_PREFIX: string;
  /** express-session secret (the same everywhere, so any instance reads any session cookie). */
  SESSION_SECRET: string;
  TRUVALIDATE_API_URL: string;
  TRUVALIDATE_SERVICE_ID: string;
  TRUVALIDATE_PRIVATE_KEY: string;
  /** The URL the emulator delivers webhooks to (the proxy), for the app's own bookkeeping. */
  APP_URL: string;
  /** RedisStore `commandTimeoutMs` of the instances. */
  REDIS_COMMAND_TIMEOUT_MS?: string;
}

/** One running app instance. */
export class AppInstance {
  readonly name: string;
  readonly port: number;
  private readonly child: ChildProcess;

  private constructor(name: string, port: number, child: ChildProcess) {
    this.name = name;
    this.port = port;
    this.child = child;
  }

  /** Starts an instance and resolves once it listens. */
  static start(name: string, env: InstanceEnv): Promise<AppInstance> {
    const child = fork(FIXTURE, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env, INSTANCE_NAME: name },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise<AppInstance>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`instance ${name} did not start in 30 s`));
      }, 30_000);
      child.once('message', (message: { port?: number }) => {
        clearTimeout(timer);
        if (typeof message.port === 'number') resolve(new AppInstance(name, message.port, child));
        else reject(new Error(`instance ${name} sent ${JSON.stringify(message)}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`instance ${name} exited with ${code} before listening`));
      });
    });
  }

  /** Whether the process is still running. */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Kills the process (SIGKILL: a crash, nothing flushed) and resolves once it is gone. */
  kill(): Promise<void> {
    if (!this.alive) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGKILL');
    });
  }
}

/** Starts several instances in parallel. */
export function startInstances(names: string[], env: InstanceEnv): Promise<AppInstance[]> {
  return Promise.all(names.map((name) => AppInstance.start(name, env)));
}
