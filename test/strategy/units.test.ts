import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Request } from 'express';
import { bindingHash, bindingMatches, newBindingValue } from '../../lib/strategy/binding';
import { callVerify } from '../../lib/strategy/verify';
import { failureOf } from '../../lib/strategy/profile';
import { decoyRequestId } from '../../lib/strategy/decoy-id';
import type { ResolvedOptions } from '../../lib/strategy/options';
import { logoutTime } from '../../lib/strategy/webhook';
import type { TruValidateProfile, VerifyFunction } from 'passport-truvalidate';

/** Types a verify in place (callVerify takes both forms). */
const v = (fn: VerifyFunction): VerifyFunction => fn;

const profile: TruValidateProfile = {
  provider: 'truvalidate',
  method: 'push',
  username: 'u',
  serviceUserHash: 'h',
  authRequestId: 'a',
  deviceId: 'd',
  authMethods: null,
  policy: null,
};
const req = { marker: 'the request' } as unknown as Request;

describe('binding', () => {
  test('values are 32 random bytes and only their hash matches', () => {
    const a = newBindingValue();
    const b = newBindingValue();
    assert.equal(Buffer.from(a, 'base64url').length, 32);
    assert.notEqual(a, b);
    assert.equal(bindingMatches(a, bindingHash(a)), true);
    assert.equal(bindingMatches(b, bindingHash(a)), false);
    assert.equal(bindingMatches(a, a), false, 'the raw value is not its hash');
    assert.equal(bindingMatches(undefined, bindingHash(a)), false);
    assert.equal(bindingMatches('', bindingHash('')), false);
    assert.equal(bindingMatches(a, 'abcd'), false, 'a hash of another length never matches');
  });
});

describe('callVerify', () => {
  test('promise form: a user, false, a rejection', async () => {
    assert.deepEqual(
      await callVerify(
        v(async (u) => ({ u })),
        false,
        req,
        'x',
        profile,
      ),
      { user: { u: 'x' }, info: undefined },
    );
    assert.deepEqual(
      await callVerify(
        v(async () => false),
        false,
        req,
        'x',
        profile,
      ),
      { user: null, info: undefined },
    );
    await assert.rejects(
      callVerify(
        v(async () => {
          throw new Error('no db');
        }),
        false,
        req,
        'x',
        profile,
      ),
      /no db/,
    );
  });

  test('callback form: done(null, user, info), done(null, false, info), done(err), a throw', async () => {
    assert.deepEqual(
      await callVerify(
        v((u, _p, done) => done(null, { u }, { note: 1 })),
        false,
        req,
        'x',
        profile,
      ),
      { user: { u: 'x' }, info: { note: 1 } },
    );
    assert.deepEqual(
      await callVerify(
        v((_u, _p, done) => done(null, false, { message: 'nope' })),
        false,
        req,
        'x',
        profile,
      ),
      { user: null, info: { message: 'nope' } },
    );
    await assert.rejects(
      callVerify(
        v((_u, _p, done) => done(new Error('bad'))),
        false,
        req,
        'x',
        profile,
      ),
      /bad/,
    );
    await assert.rejects(
      callVerify(
        () => {
          throw new Error('thrown');
        },
        false,
        req,
        'x',
        profile,
      ),
      /thrown/,
    );
  });

  test('an async callback-style verify is settled by done, once', async () => {
    const out = await callVerify(
      async (u: string, _p: TruValidateProfile, done: (e: unknown, user?: Express.User) => void) => {
        done(null, { u });
        done(null, { u: 'second' });
      },
      false,
      req,
      'x',
      profile,
    );
    assert.deepEqual(out.user, { u: 'x' });
  });

  test('with the request first', async () => {
    const seen: unknown[] = [];
    await callVerify(
      (r: Request, u: string, _p: TruValidateProfile, done: (e: unknown, user?: Express.User) => void) => {
        seen.push((r as unknown as { marker: string }).marker, u);
        done(null, { u });
      },
      true,
      req,
      'x',
      profile,
    );
    assert.deepEqual(seen, ['the request', 'x']);
  });
});

describe('failures', () => {
  test('each result maps to a Passport failure with a stable reason', () => {
    assert.deepEqual(failureOf({ status: 'denied', reason: 'DISAPPROVED', fraud: false, denialReason: 'R1' }), {
      message: 'The login was denied on the device.',
      status: 'denied',
      reason: 'DISAPPROVED',
      fraud: false,
      denialReason: 'R1',
    });
    assert.equal(failureOf({ status: 'denied', reason: 'FRAUDULENT', fraud: true }).reason, 'FRAUDULENT');
    assert.equal(failureOf({ status: 'expired' }).status, 'expired');
    assert.equal(failureOf({ status: 'canceled' }).reason, 'CANCELED');
    assert.equal(failureOf({ status: 'failed', reason: 'POLICY' }).reason, 'POLICY');
  });
});

describe('decoy ids', () => {
  test('are version-1 UUIDs (RFC 4122 variant, random multicast node), distinct and time-ordered', () => {
    const ids = Array.from({ length: 50 }, () => decoyRequestId());
    for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(new Set(ids).size, ids.length);
    const time = (id: string): bigint => {
      const [low, mid, hi] = id.split('-') as [string, string, string];
      return BigInt(`0x${hi.slice(1)}${mid}${low}`);
    };
    for (let i = 1; i < ids.length; i++) assert.ok(time(ids[i] as string) > time(ids[i - 1] as string));
    const ms = Number((time(ids[0] as string) - 0x01b21dd213814000n) / 10000n);
    assert.ok(Math.abs(ms - Date.now()) < 60_000, 'the time field is now');
    assert.equal(parseInt((ids[0] as string).slice(24, 26), 16) & 1, 1, 'multicast bit of the node id');
  });
});

describe('logoutTime (session-end webhook)', () => {
  const withOffset = (offsetMs: number | undefined): ResolvedOptions =>
    ({ client: { serverTimeOffsetMs: offsetMs ?? 0 } }) as unknown as ResolvedOptions;
  const t = Date.parse('2026-01-01T10:00:00Z');

  test("the end of the api_time second, moved by the client's API clock offset, capped at now", () => {
    assert.equal(logoutTime(withOffset(undefined), new Date(t), t + 60_000), t + 999, 'no offset measured yet: as is');
    assert.equal(logoutTime(withOffset(-500), new Date(t), t + 60_000), t + 1499, 'the API clock is 500 ms behind');
    assert.equal(logoutTime(withOffset(2_000), new Date(t), t + 60_000), t - 1001, 'the API clock is 2 s ahead');
    assert.equal(logoutTime(withOffset(0), new Date(t), t + 300), t + 300, 'never later than now');
    assert.equal(logoutTime(withOffset(0), new Date(Number.NaN), t), t, 'an unusable time counts as now');
  });
});
