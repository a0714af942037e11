/** One emulator per test file, with signing clients for its three credentials and control API helpers. */
import type { KeyObject } from 'node:crypto';
import type { Emulator, EmulatorOptions } from '../../../lib/emulator';
import { startTestEmulator } from '../../fixtures/emulator';
import { privateKey, TestClient, type RawAnswer, type SignedRequestOptions } from './client';

/** Who signs: the organization (dual-purpose key), the directory or the service. */
export type Signer = 'org' | 'dir' | 'svc';

/** A decoded, verified answer. */
export interface Answer extends RawAnswer {
  claims: Record<string, unknown>;
  /** Decrypted JSON body, or undefined when empty. */
  data: unknown;
}

/** The emulator under test plus helpers. */
export class Fixture {
  readonly client: TestClient;
  readonly keys: Record<Signer, KeyObject>;
  readonly entity: Record<Signer, string>;

  private constructor(readonly emu: Emulator) {
    this.client = new TestClient(emu.url);
    this.keys = {
      org: privateKey(emu.organization.privateKey),
      dir: privateKey(emu.directory.privateKey),
      svc: privateKey(emu.service.privateKey),
    };
    this.entity = { org: `org:${emu.organization.id}`, dir: `dir:${emu.directory.id}`, svc: `svc:${emu.service.id}` };
  }

  /** Starts an emulator on a free port. */
  static async start(options: EmulatorOptions = {}): Promise<Fixture> {
    return new Fixture(await startTestEmulator(options));
  }

  /** Wraps an emulator started elsewhere (the caller closes it). */
  static async wrap(emu: Emulator): Promise<Fixture> {
    return new Fixture(emu);
  }

  /** A signed call as `signer` acting for `sub` (default: the natural subject of the path). */
  async call(
    signer: Signer,
    method: string,
    path: string,
    body?: Record<string, unknown>,
    extra: Partial<SignedRequestOptions> = {},
  ): Promise<Answer> {
    const sub =
      extra.sub ??
      (path.startsWith('/service/')
        ? this.entity.svc
        : path.startsWith('/directory/')
          ? this.entity.dir
          : this.entity.org);
    const raw = await this.client.send({
      method,
      path,
      body,
      iss: this.entity[signer],
      sub,
      signingKey: this.keys[signer],
      ...extra,
    });
    const claims = await this.client.responseClaims(raw);
    const data = raw.body === '' ? undefined : await TestClient.decrypt(raw.body, [this.keys[signer]]);
    return { ...raw, claims, data };
  }

  /** A control API call (plain JSON). */
  async control(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const res = await fetch(`${this.emu.url}/_emulator${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text === '' ? null : JSON.parse(text) };
  }

  close(): Promise<void> {
    return this.emu.close();
  }
}
