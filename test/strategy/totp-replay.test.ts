/** TOTP replay (RFC 6238 section 5.2): a code is accepted once per user, across instances sharing the store. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Emulator } from 'passport-truvalidate/emulator';
import { DirectoryFactory } from 'passport-truvalidate/sdk';
import { MemoryStore } from 'passport-truvalidate';
import { emulatorWithUsers, type Phone } from './helpers/emulator';
import { startTestApp, type TestApp, type TestAppOptions } from './helpers/app';

const INVALID = { message: 'The code is not valid.', status: 'invalid', reason: 'INVALID_OTP' };

describe('TOTP replay', () => {
  let emulator: Emulator;
  let phone: Phone;
  const apps: TestApp[] = [];

  async function app(options: Partial<Omit<TestAppOptions, 'apiUrl' | 'service'>> = {}): Promise<TestApp> {
    const a = await startTestApp({ apiUrl: emulator.url, service: emulator.service, ...options });
    apps.push(a);
    return a;
  }

  before(async () => {
    ({ emulator, phone } = await emulatorWithUsers(['tara', 'ugo', 'vera', 'walt']));
    const directory = new DirectoryFactory(emulator.directory.id, emulator.directory.privateKey, {
      url: emulator.url,
    }).makeDirectoryClient();
    for (const u of ['tara', 'ugo', 'vera', 'walt']) await directory.generateUserTotp(u);
  });

  after(async () => {
    for (const a of apps) await a.close();
    await emulator.close();
  });

  test('the same code a second time fails like a wrong code, and the store holds no code', async () => {
    const store = new MemoryStore();
    const a = await app({ store });
    try {
      const code = await phone.totp('tara');
      const first = await request.agent(a.url).post('/login').send({ username: 'tara', otp: code });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      for (let i = 0; i < 4; i++) {
        const replay = await request.agent(a.url).post('/login').send({ username: 'tara', otp: code });
        assert.deepEqual([replay.status, replay.body], [401, { ...INVALID, status: 'invalid' }], `replay ${i + 1}`);
      }
      assert.equal(await store.isSeen(`totp:${code}`), false);
    } finally {
      await store.close();
    }
  });

  test('two instances sharing the store: a code used at one is refused at the other', async () => {
    const store = new MemoryStore();
    try {
      const a = await app({ store });
      const b = await app({ store });
      const code = await phone.totp('ugo');
      assert.equal((await request(a.url).post('/login').send({ username: 'ugo', otp: code })).status, 200);
      const replay = await request(b.url).post('/login').send({ username: 'ugo', otp: code });
      assert.deepEqual([replay.status, replay.body.reason], [401, 'INVALID_OTP']);
    } finally {
      await store.close();
    }
  });

  test('five concurrent submissions of one code: exactly one logs in', async () => {
    const a = await app();
    const code = await phone.totp('vera');
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => request.agent(a.url).post('/login').send({ username: 'vera', otp: code })),
    );
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, 401, 401, 401, 401]);
  });

  test('wrong and replayed codes count toward the TOTP limit: then even a fresh valid code fails', async () => {
    const a = await app({ strategyOptions: { totpLimit: { max: 3, windowMs: 60_000 } } });
    const code = await phone.totp('walt');
    const wrong = code === '000000' ? '111111' : '000000';
    assert.equal((await request(a.url).post('/login').send({ username: 'walt', otp: code })).status, 200);
    assert.equal((await request(a.url).post('/login').send({ username: 'walt', otp: code })).status, 401, 'replay');
    assert.equal((await request(a.url).post('/login').send({ username: 'walt', otp: wrong })).status, 401, 'wrong');
    const fresh = await request(a.url)
      .post('/login')
      .send({ username: 'walt', otp: await phone.totp('walt') });
    assert.deepEqual([fresh.status, fresh.body.reason], [401, 'INVALID_OTP'], 'three attempts used: over the limit');
  });
});
