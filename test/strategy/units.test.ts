import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Request } from 'express';
import { bindingHash, bindingMatches, newBindingValue } from '../../lib/strategy/binding';
import { callVerify } from '../../lib/strategy/verify';
import { failureOf } from '../../lib/strategy/profile';
import type { TruValidateProfile, VerifyFunction } from 'passport-truvalidate';

/** Types a verify in place (callVerify takes both forms). */
const v = (fn: VerifyFunction): VerifyFunction => fn;

const profile: TruValidateProfile = { provider: 'truvalidate', method: 'push', username: 'u', serviceUserHash: 'h', authRequestId: 'a', deviceId: 'd', authMethods: null, policy: null };
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
    assert.deepEqual(await callVerify(v(async (u) => ({ u })), false, req, 'x', profile), { user: { u: 'x' }, info: undefined });
    assert.deepEqual(await callVerify(v(async () => false), false, req, 'x', profile), { user: null, info: undefined });
    await assert.rejects(callVerify(v(async () => { throw new Error('no db'); }), false, req, 'x', profile), /no db/);
  });

  test('callback form: done(null, user, info), done(null, false, info), done(err), a throw', async () => {
    assert.deepEqual(await callVerify(v((u, _p, done) => done(null, { u }, { note: 1 })), false, req, 'x', profile), { user: { u: 'x' }, info: { note: 1 } });
    assert.deepEqual(await callVerify(v((_u, _p, done) => done(null, false, { message: 'nope' })), false, req, 'x', profile), { user: null, info: { message: 'nope' } });
    await assert.rejects(callVerify(v((_u, _p, done) => done(new Error('bad'))), false, req, 'x', profile), /bad/);
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
