/** The emulator as the strategy tests use it: started once per file, driven through its control API over HTTP. */
import type { Emulator } from 'passport-truvalidate/emulator';
import { startTestEmulator } from '../../fixtures/emulator';
import { eventually } from '../../fixtures/eventually';

/** A pending request as the simulated phone sees it. */
export interface PhoneAuth {
  authRequestId: string;
  serviceId: string;
  title: string | null;
  context: string | null;
}

/** One user as `GET /_emulator/users` shows it. */
export interface EmulatorUser {
  identifier: string;
  sessions: { serviceId: string; authRequest: string | null }[];
}

/** The simulated phone: the control API of one emulator. */
export class Phone {
  constructor(readonly emulator: Emulator) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.emulator.url}/_emulator${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  /** Pending requests of a user. */
  auths(user: string): Promise<PhoneAuth[]> {
    return this.call('GET', `/auths?user=${encodeURIComponent(user)}`);
  }

  /** The only pending request of a user (fails otherwise). */
  async onlyAuth(user: string): Promise<PhoneAuth> {
    const list = await this.auths(user);
    if (list.length !== 1) throw new Error(`expected one pending request for ${user}, got ${list.length}`);
    return list[0] as PhoneAuth;
  }

  /** Answers a request (the webhook, when configured, is delivered before this resolves). */
  respond(
    authRequestId: string,
    action: 'approve' | 'deny' | 'fraud' | 'fail',
    extra: Record<string, unknown> = {},
  ): Promise<{ webhook: { status: number | null } | null }> {
    return this.call('POST', `/auths/${authRequestId}/respond`, { action, ...extra });
  }

  /** Answers the only pending request of a user. */
  async answer(user: string, action: 'approve' | 'deny' | 'fraud' | 'fail'): Promise<string> {
    const auth = await this.onlyAuth(user);
    await this.respond(auth.authRequestId, action);
    return auth.authRequestId;
  }

  /** Every user with its service sessions. */
  users(): Promise<EmulatorUser[]> {
    return this.call('GET', '/users');
  }

  /** Service sessions of one user. */
  async sessionsOf(user: string): Promise<EmulatorUser['sessions']> {
    const found = (await this.users()).find((u) => u.identifier === user);
    if (!found) throw new Error(`no user ${user}`);
    return found.sessions;
  }

  /**
   * The device's sessions of `user` once it lists one, or the empty list after `timeoutMs` (default 3000): the
   * strategy calls `sessionStart` in the background after a login, so the list may lag the browser's answer.
   */
  sessionListed(user: string, timeoutMs?: number): Promise<EmulatorUser['sessions']> {
    return eventually(
      () => this.sessionsOf(user),
      (list) => list.length > 0,
      timeoutMs,
    );
  }

  /** The user ends the session from the phone (session-end webhook). */
  logout(user: string): Promise<{ webhooks: { status: number | null }[] }> {
    return this.call('POST', '/logout', { user });
  }

  /** The code the authenticator app shows now. */
  async totp(user: string): Promise<string> {
    return (await this.call<{ code: string }>('GET', `/totp/${encodeURIComponent(user)}`)).code;
  }
}

/** Starts an emulator on a free port and links the given users (one device each). */
export async function emulatorWithUsers(users: string[]): Promise<{ emulator: Emulator; phone: Phone }> {
  const emulator = await startTestEmulator();
  for (const u of users) await emulator.linkUser(u);
  return { emulator, phone: new Phone(emulator) };
}
