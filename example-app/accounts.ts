/**
 * The example's accounts: which names are taken. A name is taken from the moment its sign-up starts (until the
 * link code expires, if the phone never links) and, once a device linked, until the account is deleted on purpose
 * ("Delete account"), whatever happens to its devices. The directory at TruValidate knows users and devices; it
 * does not know that a name with no device left still belongs to someone, so the app keeps that here.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** One account, keyed by its (normalised) username. */
export interface Account {
  /** The username, as normalised by the app (the directory user identifier). */
  username: string;
  /** `pending`: signed up, the phone has not linked yet; `linked`: a device linked once. */
  state: 'pending' | 'linked';
  /** For `pending`: when the sign-up's link code expires (ms since epoch); the name is free again after it. */
  linkExpiresAt: number | null;
  /** For `pending`: the device the sign-up created (replaced when the same browser starts again). */
  deviceId: string | null;
  /** Whether a TOTP secret is set up (the TOTP page offers "set up" or "remove" from it). */
  totp: boolean;
  /** When the account was created (ms since epoch). */
  createdAt: number;
}

/** Where accounts live: a JSON file (one process) or Redis (several instances). */
export interface AccountStore {
  /** The account of `username`, or null. */
  get(username: string): Promise<Account | null>;
  /** Creates or replaces the account of `account.username`. */
  put(account: Account): Promise<void>;
  /** Deletes the account of `username` (no error when there is none). */
  delete(username: string): Promise<void>;
  /** Releases resources (the Redis variant shares the app's client and does nothing). */
  close(): Promise<void>;
}

/** True when the account holds its name at `now`: linked, or a sign-up whose link code has not expired. */
export function holdsName(account: Account | null, now = Date.now()): boolean {
  if (!account) return false;
  return account.state === 'linked' || (account.linkExpiresAt ?? 0) > now;
}

/**
 * Accounts in memory, optionally saved to a JSON file (`file`; written atomically on every change, read at start)
 * so that names stay taken, and abandoned sign-ups stay releasable, across restarts. Expired sign-ups are dropped
 * when the file is written. Default: memory only (the tests).
 */
export class FileAccountStore implements AccountStore {
  private readonly accounts = new Map<string, Account>();

  /**
   * @param file the JSON file, or null to keep accounts in memory only (default null)
   * @throws the file system error when the file exists but cannot be read or parsed
   */
  constructor(private readonly file: string | null = null) {
    if (file === null) return;
    let text: string | null = null;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text === null) return;
    const list = JSON.parse(text) as unknown;
    if (!Array.isArray(list)) throw new Error(`${file} is not an accounts file (a JSON array).`);
    for (const account of list as Account[]) {
      if (account && typeof account.username === 'string') this.accounts.set(account.username, account);
    }
  }

  /** {@inheritDoc AccountStore.get} */
  async get(username: string): Promise<Account | null> {
    return this.accounts.get(username) ?? null;
  }

  /** {@inheritDoc AccountStore.put} */
  async put(account: Account): Promise<void> {
    this.accounts.set(account.username, { ...account });
    this.save();
  }

  /** {@inheritDoc AccountStore.delete} */
  async delete(username: string): Promise<void> {
    if (this.accounts.delete(username)) this.save();
  }

  /** {@inheritDoc AccountStore.close} */
  async close(): Promise<void> {}

  private save(): void {
    const now = Date.now();
    for (const [name, account] of this.accounts) if (!holdsName(account, now)) this.accounts.delete(name);
    if (this.file === null) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify([...this.accounts.values()], null, 1)}\n`);
    renameSync(tmp, this.file);
  }
}

/** The part of a `redis` (node-redis) client the Redis account store uses. */
export interface AccountRedisClient {
  hGet(key: string, field: string): Promise<string | null | undefined>;
  hSet(key: string, field: string, value: string): Promise<number>;
  hDel(key: string, field: string): Promise<number>;
}

/** Accounts in one Redis hash (`key`, default `example:accounts`), shared by every instance of the app. */
export class RedisAccountStore implements AccountStore {
  /**
   * @param client a connected node-redis client (the app's, shared with the session store)
   * @param key the hash holding every account (default `example:accounts`)
   */
  constructor(
    private readonly client: AccountRedisClient,
    private readonly key = 'example:accounts',
  ) {}

  /** {@inheritDoc AccountStore.get} */
  async get(username: string): Promise<Account | null> {
    const text = await this.client.hGet(this.key, username);
    return text ? (JSON.parse(text) as Account) : null;
  }

  /** {@inheritDoc AccountStore.put} */
  async put(account: Account): Promise<void> {
    await this.client.hSet(this.key, account.username, JSON.stringify(account));
  }

  /** {@inheritDoc AccountStore.delete} */
  async delete(username: string): Promise<void> {
    await this.client.hDel(this.key, username);
  }

  /** {@inheritDoc AccountStore.close} */
  async close(): Promise<void> {}
}
