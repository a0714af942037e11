/**
 * The three kinds of `redis` (v5+) connections the store accepts, behind one small surface: a single-node client
 * (`createClient`, also TLS `rediss://` and managed Redis URLs), a Redis Cluster client (`createCluster`) and a
 * Sentinel client (`createSentinel`). They differ in how a raw command is sent (a cluster routes it by its first
 * key) and in the event that says they are connected (`connect` for a cluster, `ready` otherwise).
 */
import type { RedisClientType, RedisClusterType, RedisSentinelType } from 'redis';

/** The `redis` v5+ single-node client type the store accepts (what `createClient()` returns). */
export type RedisClient = RedisClientType;

/** Any `redis` v5+ connection the store accepts: `createClient()`, `createCluster()` or `createSentinel()`. */
export type RedisStoreClient = RedisClientType | RedisClusterType | RedisSentinelType;

/** A raw RESP reply as `sendCommand` returns it. */
export type RedisReply = string | number | null | RedisReply[] | Buffer | boolean | Record<string, unknown>;

/** Which kind of connection a {@link RedisStoreClient} is. */
export type RedisClientKind = 'client' | 'cluster' | 'sentinel';

/** What the store uses of any of the three (all three have it, with the same meaning). */
export interface RedisLike {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  close(): Promise<unknown>;
  destroy(): unknown;
  duplicate(): RedisLike;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  once(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
}

type ClientSend = (args: string[]) => Promise<RedisReply>;
type ClusterSend = (
  firstKey: string | undefined,
  isReadonly: boolean | undefined,
  args: string[],
) => Promise<RedisReply>;
type SentinelSend = (isReadonly: boolean | undefined, args: string[]) => Promise<RedisReply>;

/** The kind of `client`: a cluster has slot routing, a Sentinel client has sentinel nodes. */
export function kindOf(client: RedisStoreClient | RedisLike): RedisClientKind {
  const methods = client as unknown as Record<string, unknown>;
  if (typeof methods['getSlotMaster'] === 'function') return 'cluster';
  if (typeof methods['getSentinelNode'] === 'function') return 'sentinel';
  return 'client';
}

/** The event a connection of this kind emits once it can take commands. */
export function readyEvent(kind: RedisClientKind): string {
  return kind === 'cluster' ? 'connect' : 'ready';
}

/** The key a command is routed by: the first of `EVAL`/`EVALSHA`'s keys, else the command's first argument. */
export function firstKeyOf(args: string[]): string | undefined {
  const name = (args[0] ?? '').toUpperCase();
  if (name === 'EVAL' || name === 'EVALSHA') return Number(args[2]) > 0 ? args[3] : undefined;
  return args[1];
}

/** Sends a raw command on any kind of connection (a cluster routes it to the slot of its first key). */
export function sendRaw(client: RedisLike, kind: RedisClientKind, args: string[]): Promise<RedisReply> {
  const target = client as unknown as { sendCommand: ClientSend & ClusterSend & SentinelSend };
  if (kind === 'cluster') return (target.sendCommand as ClusterSend)(firstKeyOf(args), false, args);
  if (kind === 'sentinel') return (target.sendCommand as SentinelSend)(false, args);
  return (target.sendCommand as ClientSend)(args);
}
