/**
 * Pub/sub of login results across processes: one dedicated subscriber connection (`client.duplicate()`, since a
 * subscribed Redis connection cannot run other commands), one channel per store prefix, local listeners fanned
 * out in this process. The `redis` client re-subscribes by itself after a reconnect.
 */
import type { LoginResult, ResultListener } from './store';
import type { RedisLike } from './redis-clients';
import { RedisConnection, type RedisConnectionLimits, toStoreError } from './redis-connection';

/** The message published on the results channel. */
interface ResultMessage {
  authRequestId: string;
  result: LoginResult;
}

/** Encodes a result message. */
export function encodeResultMessage(authRequestId: string, result: LoginResult): string {
  const message: ResultMessage = { authRequestId, result };
  return JSON.stringify(message);
}

function decodeResultMessage(text: string): ResultMessage | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return null;
    const { authRequestId, result } = value as Partial<ResultMessage>;
    if (typeof authRequestId !== 'string' || typeof result !== 'object' || result === null) return null;
    return { authRequestId, result };
  } catch {
    return null;
  }
}

/** The subscriber side of the results channel. */
export class RedisResultsChannel {
  private readonly parent: RedisLike;
  private readonly channel: string;
  private readonly limits: RedisConnectionLimits;
  private readonly listeners = new Set<ResultListener>();
  private connection: RedisConnection | null = null;
  private subscribed: Promise<void> | null = null;

  constructor(parent: RedisLike, channel: string, limits: RedisConnectionLimits) {
    this.parent = parent;
    this.channel = channel;
    this.limits = limits;
  }

  /** Adds a listener once the subscription is live; rejects with a store error when Redis is unreachable. */
  async subscribe(listener: ResultListener): Promise<() => Promise<void>> {
    await this.ensureSubscribed();
    this.listeners.add(listener);
    return async () => {
      this.listeners.delete(listener);
    };
  }

  /** Drops every listener and closes the subscriber connection. */
  async close(): Promise<void> {
    this.listeners.clear();
    const connection = this.connection;
    this.connection = null;
    this.subscribed = null;
    if (connection) await connection.close();
  }

  private ensureSubscribed(): Promise<void> {
    if (this.subscribed === null) {
      if (this.connection === null) {
        this.connection = new RedisConnection(this.parent.duplicate(), true, this.limits);
      }
      const connection = this.connection;
      this.subscribed = (async () => {
        try {
          await connection.ensureReady();
          await connection.bounded(
            connection.client.subscribe(this.channel, (message: string) => this.dispatch(message)),
            'SUBSCRIBE',
          );
        } catch (err) {
          this.subscribed = null;
          throw toStoreError(err, 'SUBSCRIBE');
        }
      })();
    }
    return this.subscribed;
  }

  private dispatch(text: string): void {
    const message = decodeResultMessage(text);
    if (message === null) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(message.authRequestId, message.result);
      } catch (err) {
        process.emitWarning(
          `RedisStore: a result listener threw: ${err instanceof Error ? err.message : String(err)}`,
          'TruValidateWarning',
        );
      }
    }
  }
}
