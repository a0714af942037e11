/**
 * The emulator's state: the records of `types.ts`, lookups over them, the hierarchy rule, key selection
 * (docs/protocol.md §3.4) and persistence to `DIR/state.json`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateFile } from './state-file';
import type {
  ApiKeyRecord,
  DirectoryRecord,
  EntityRef,
  KeyRecord,
  OrganizationRecord,
  ServiceRecord,
  StateData,
  UserRecord,
} from './types';

/** An entity record of any type (all carry `id` and `keys`). */
export type EntityRecord = OrganizationRecord | DirectoryRecord | ServiceRecord;

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function expired(key: KeyRecord, nowSeconds: number): boolean {
  return key.dateExpires !== null && Date.parse(key.dateExpires) / 1000 <= nowSeconds;
}

/**
 * The state of one emulator instance. `data` is the persisted JSON; mutate it and call `save()` (the server does
 * after every signed call other than a GET).
 */
export class EmulatorState {
  /** The persisted records. */
  data: StateData;
  /** Folder of `state.json`, or null for an in-memory emulator. */
  readonly dataDir: string | null;
  /** The state file (null in memory). */
  private readonly file: StateFile | null;

  /**
   * @param onSaveError receives the error of a background write of `state.json` (default: ignored; `flush()`
   *   rejects with it)
   */
  constructor(data: StateData, dataDir: string | null, onSaveError: (err: Error) => void = () => undefined) {
    this.data = data;
    this.dataDir = dataDir;
    this.file = dataDir === null ? null : new StateFile(dataDir, () => JSON.stringify(this.data), onSaveError);
  }

  /** Number of completed writes of `state.json` (0 in memory). */
  get writes(): number {
    return this.file?.writes ?? 0;
  }

  /**
   * Reads `DIR/state.json`; returns null when it does not exist. Throws when it cannot be read or is not an emulator
   * state file.
   */
  static load(dataDir: string, onSaveError?: (err: Error) => void): EmulatorState | null {
    let text: string;
    try {
      text = readFileSync(join(dataDir, 'state.json'), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    let data: StateData;
    try {
      data = JSON.parse(text) as StateData;
    } catch {
      throw new Error(`${join(dataDir, 'state.json')} is not valid JSON (delete it to start fresh)`);
    }
    if (data?.version !== 1 || !Array.isArray(data.organizations)) {
      throw new Error(`${join(dataDir, 'state.json')} is not an emulator state file`);
    }
    return new EmulatorState(data, dataDir, onSaveError);
  }

  /**
   * Records that `data` changed: `state.json` is rewritten shortly, once for every change made until then, without
   * blocking (no-op in memory). {@link flush} writes at once.
   */
  save(): void {
    this.file?.changed();
  }

  /** Writes unsaved changes now; resolves when `state.json` holds every change made before the call. */
  flush(): Promise<void> {
    return this.file?.flush() ?? Promise.resolve();
  }

  /* ---------------------------------------------------------------- entities */

  /** The organization with that id, or undefined. */
  findOrganization(id: string): OrganizationRecord | undefined {
    return this.data.organizations.find((o) => sameId(o.id, id));
  }

  /** The directory with that id, or undefined. */
  findDirectory(id: string): DirectoryRecord | undefined {
    return this.data.directories.find((d) => sameId(d.id, id));
  }

  /** The service with that id, or undefined. */
  findService(id: string): ServiceRecord | undefined {
    return this.data.services.find((s) => sameId(s.id, id));
  }

  /** The record an entity reference names, or undefined. */
  findEntity(ref: EntityRef): EntityRecord | undefined {
    if (ref.type === 'org') return this.findOrganization(ref.id);
    if (ref.type === 'dir') return this.findDirectory(ref.id);
    return this.findService(ref.id);
  }

  /** True when the entity exists and is active (organizations are always active). */
  isActive(ref: EntityRef): boolean {
    const e = this.findEntity(ref);
    if (!e) return false;
    return 'active' in e ? e.active : true;
  }

  /** The organization that (directly or through a directory) owns the entity, or undefined. */
  organizationOf(ref: EntityRef): OrganizationRecord | undefined {
    if (ref.type === 'org') return this.findOrganization(ref.id);
    if (ref.type === 'dir') {
      const d = this.findDirectory(ref.id);
      return d ? this.findOrganization(d.organizationId) : undefined;
    }
    const s = this.findService(ref.id);
    if (!s) return undefined;
    return this.organizationOf({ type: s.owner.type, id: s.owner.id });
  }

  /**
   * Hierarchy (docs/protocol.md §1.1): an org acts for itself, its directories and every service it or its directories
   * own; a dir for itself and its services; a svc only for itself.
   */
  mayActFor(issuer: EntityRef, subject: EntityRef): boolean {
    if (issuer.type === subject.type && sameId(issuer.id, subject.id)) return true;
    if (issuer.type === 'svc') return false;
    if (subject.type === 'dir') {
      const d = this.findDirectory(subject.id);
      return issuer.type === 'org' && d !== undefined && sameId(d.organizationId, issuer.id);
    }
    if (subject.type === 'svc') {
      const s = this.findService(subject.id);
      if (!s) return false;
      if (s.owner.type === issuer.type && sameId(s.owner.id, issuer.id)) return true;
      if (issuer.type === 'org' && s.owner.type === 'dir') {
        const d = this.findDirectory(s.owner.id);
        return d !== undefined && sameId(d.organizationId, issuer.id);
      }
    }
    return false;
  }

  /** The directories whose users a service may send authorization requests to. */
  directoriesOfService(service: ServiceRecord): DirectoryRecord[] {
    if (service.owner.type === 'dir') {
      const d = this.findDirectory(service.owner.id);
      return d ? [d] : [];
    }
    return this.data.directories.filter((d) => sameId(d.organizationId, service.owner.id));
  }

  /* ---------------------------------------------------------------- users */

  /** The user with that identifier in that directory, or undefined. Identifiers are compared exactly. */
  findUser(directoryId: string, identifier: string): UserRecord | undefined {
    return this.data.users.find((u) => sameId(u.directoryId, directoryId) && u.identifier === identifier);
  }

  /** The user with that identifier in any of the directories a service reaches, or undefined. */
  findUserForService(service: ServiceRecord, identifier: string): UserRecord | undefined {
    for (const d of this.directoriesOfService(service)) {
      const u = this.findUser(d.id, identifier);
      if (u) return u;
    }
    return undefined;
  }

  /** The user with that push id (`user_push_id`) in any of the directories a service reaches, or undefined. */
  findUserByPushId(service: ServiceRecord, pushId: string): UserRecord | undefined {
    const dirs = this.directoriesOfService(service).map((d) => d.id);
    return this.data.users.find((u) => dirs.some((id) => sameId(id, u.directoryId)) && sameId(u.pushId, pushId));
  }

  /* ---------------------------------------------------------------- entity keys (docs/protocol.md §3.4) */

  /** The key of the entity with id `kid` if it may verify a request signature now (active, unexpired, type 0/2). */
  signingKey(entity: EntityRecord, kid: string, nowSeconds: number): KeyRecord | undefined {
    const key = entity.keys.find((k) => sameId(k.id, kid));
    if (!key || !key.active || expired(key, nowSeconds) || key.keyType === 1) return undefined;
    return key;
  }

  /**
   * The entity key to encrypt answers to, given the key that signed the request: that key when it is dual-purpose;
   * for a signature-only key, the newest active unexpired encryption-only key, else the newest such dual-purpose
   * key, else the signing key itself (the client then cannot decrypt, as with the real API).
   */
  encryptionKeyFor(entity: EntityRecord, signingKeyId: string, nowSeconds: number): KeyRecord | undefined {
    const signing = entity.keys.find((k) => sameId(k.id, signingKeyId));
    if (signing && signing.keyType === 0) return signing;
    const usable = entity.keys.filter((k) => k.active && !expired(k, nowSeconds));
    const newest = (type: number): KeyRecord | undefined =>
      usable.filter((k) => k.keyType === type).sort((a, b) => Date.parse(b.dateCreated) - Date.parse(a.dateCreated))[0];
    return newest(1) ?? newest(0) ?? signing;
  }

  /* ---------------------------------------------------------------- API keys */

  /** The API key with that id (any state), or undefined. */
  apiKey(kid: string): ApiKeyRecord | undefined {
    return this.data.apiKeys.find((k) => sameId(k.id, kid));
  }

  /** The key that signs responses and webhooks. */
  apiSigningKey(): ApiKeyRecord {
    const k = this.apiKey(this.data.signingKeyId);
    if (!k) throw new Error('emulator state has no API signing key');
    return k;
  }

  /** The current API encryption key (`GET /public/v3/public-key`). */
  apiEncryptionKey(): ApiKeyRecord {
    const k = this.apiKey(this.data.encryptionKeyId);
    if (!k) throw new Error('emulator state has no API encryption key');
    return k;
  }

  /** API keys that may decrypt request bodies: every non-retired key usable for encryption. */
  apiDecryptionKeys(): ApiKeyRecord[] {
    return this.data.apiKeys.filter((k) => !k.retired && k.use !== 'sig');
  }
}
