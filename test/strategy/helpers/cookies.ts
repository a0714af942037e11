/** Reading the session cookie of supertest answers. */
import type { Response } from 'supertest';

/** The value of the `test.sid` cookie a response sets, or null. */
export function sessionCookie(res: Response): string | null {
  const raw = res.headers['set-cookie'] as unknown;
  const list = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
  for (const c of list) {
    const m = /^test\.sid=([^;]+)/.exec(c);
    if (m) return m[1] as string;
  }
  return null;
}
