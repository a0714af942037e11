/**
 * One Redis connection as the store uses it: waits (bounded) for the first connection, fails fast while the
 * client reconnects, bounds every command with a timeout, runs Lua scripts by SHA with an EVAL fallback, and turns
 * every failure into a {@link StoreUnavailableError}. Nothing here ever waits without a bound.
 */
import { kindOf, readyEvent, sendRaw, type RedisClientKind, type RedisLike, type RedisReply } from './redis-clients';
import { RedisStoreError, StoreUnavailableError } from './redis-errors';
import type { LuaScript } from './redis-scripts';

export type { RedisClient, RedisReply, RedisStoreClient } from './redis-clients';

/** Bounds of a {@link RedisConnection}. */
export interface RedisConnectionLimits {
  /** How long a call waits for the very first connection before it rejects (ms). */
  connectTimeoutMs: number;
  /** How long one command may take before it rejects (ms). */
  commandTimeoutMs: number;
}

/** A store-side view of one `redis` client, cluster client or Sentinel client. */
export class RedisConnection {
  readonly client: RedisLike;
  private readonly kind: RedisClientKind;
  private readonly owned: boolean;
  private readonly limits: RedisConnectionLimits;
  private everReady: boolean;
  private connectOutcome: Promise<void> | null = null;
  private lastError: Error | null = null;
  private closed = false;

  /**
   * @param client the client; connected here on first use when it is not open yet.
   * @param owned true when the store created the client (it then closes it and listens to its `error` events;
   *   after a failed attempt calls fail at once instead of waiting for the next one).
   */
  constructor(client: RedisLike, owned: boolean, limits: RedisConnectionLimits) {
    this.client = client;
    this.kind = kindOf(client);
    this.owned = owned;
    this.limits = limits;
    this.everReady = client.isReady;
    client.on(readyEvent(this.kind), () => {
      this.everReady = true;
      this.lastError = null;
    });
    if (owned) {
      client.on('error', (err: unknown) => {
        this.lastError = err instanceof Error ? err : new Error(String(err));
      });
    }
  }

  /** Resolves when the client can take commands; rejects with {@link StoreUnavailableError} otherwise. */
  async ensureReady(): Promise<void> {
    if (this.closed) throw new StoreUnavailableError('The Redis store is closed.');
    if (this.client.isReady) return;
    if (!this.client.isOpen) this.startConnecting();
    if (this.everReady || this.lastError !== null) {
      throw new StoreUnavailableError(`Redis is unreachable (reconnecting)${this.describeLastError()}.`);
    }
    await this.withTimeout(
      this.nextConnectOutcome(),
      this.limits.connectTimeoutMs,
      () =>
        new StoreUnavailableError(
          `Could not connect to Redis within ${this.limits.connectTimeoutMs} ms${this.describeLastError()}.`,
        ),
    );
  }

  /** Sends one command (bounded by the command timeout). */
  async command(args: string[]): Promise<RedisReply> {
    try {
      await this.ensureReady();
      return await this.bounded(sendRaw(this.client, this.kind, args), args[0] ?? 'command');
    } catch (err) {
      throw toStoreError(err, args[0] ?? 'command');
    }
  }

  /** Runs a Lua script: EVALSHA first, EVAL when the server does not know the script yet. */
  async evalScript(script: LuaScript, keys: string[], args: string[]): Promise<RedisReply> {
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await this.command(['EVALSHA', script.sha1, ...tail]);
    } catch (err) {
      if (!isNoScript(err)) throw err;
      return this.command(['EVAL', script.source, ...tail]);
    }
  }

  /** Marks the connection closed (later calls reject) and closes the client when the store owns it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.owned || !this.client.isOpen) return;
    if (!this.client.isReady) {
      this.client.destroy();
      return;
    }
    try {
      await this.withTimeout(this.client.close(), this.limits.commandTimeoutMs, () => new Error('close timed out'));
    } catch {
      if (this.client.isOpen) this.client.destroy();
    }
  }

  private startConnecting(): void {
    this.client.connect().catch((err: unknown) => {
      this.lastError = err instanceof Error ? err : new Error(String(err));
    });
  }

  /** Settles on the next `ready` (resolves) or `error` (rejects) of the client; shared by concurrent callers. */
  private nextConnectOutcome(): Promise<void> {
    if (this.connectOutcome === null) {
      this.connectOutcome = new Promise<void>((resolve, reject) => {
        const onReady = (): void => {
          this.client.off('error', onError);
          this.connectOutcome = null;
          resolve();
        };
        const onError = (err: unknown): void => {
          this.client.off(readyEvent(this.kind), onReady);
          this.connectOutcome = null;
          reject(new StoreUnavailableError(`Could not connect to Redis: ${sentence(err)}.`, { cause: err }));
        };
        this.client.once(readyEvent(this.kind), onReady);
        this.client.once('error', onError);
      });
    }
    return this.connectOutcome;
  }

  private describeLastError(): string {
    return this.lastError ? `: ${sentence(this.lastError)}` : '';
  }

  /** Bounds any client call by the command timeout (rejects with {@link StoreUnavailableError}). */
  bounded<T>(promise: Promise<T>, what: string): Promise<T> {
    return this.withTimeout(
      promise,
      this.limits.commandTimeoutMs,
      () => new StoreUnavailableError(`Redis did not answer ${what} within ${this.limits.commandTimeoutMs} ms.`),
    );
  }

  private withTimeout<T>(promise: Promise<T>, ms: number, makeError: () => Error): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(makeError()), ms);
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  }
}

/** The message of `err` without a final period (Redis's own replies end with one; ours add it). */
function sentence(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\.$/, '');
}

function isNoScript(err: unknown): boolean {
  const cause = err instanceof StoreUnavailableError ? err.cause : err;
  return cause instanceof Error && cause.message.startsWith('NOSCRIPT');
}

/** Maps any failure of a Redis call to a typed store error (typed store errors pass through). */
export function toStoreError(err: unknown, what: string): RedisStoreError {
  if (err instanceof RedisStoreError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new StoreUnavailableError(`Redis ${what} failed: ${message}`, { cause: err });
}
