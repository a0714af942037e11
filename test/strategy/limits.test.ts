/**
 * Push bombing and store fill: the per-client limit (req.ip, honouring trust proxy) on login starts and TOTP
 * attempts, 429 + Retry-After for every limit alike for known and unknown usernames, and decoys whose store cost a
 * flood from one client cannot grow past the client limit: another client's login works during and after it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Emulator } from 'passport-truvalidate/emulator';
import { DirectoryFactory } from 'passport-truvalidate/sdk';
import { MemoryStore } from 'passport-truvalidate';
import { emulatorWithUsers, type Phone } from './helpers/emulator';
import { buildTestApp, listenTestApp, type TestApp, type TestAppOptions } from './helpers/app';

const LIMITED = {
  message: 'Too many login attempts; try again in 60 seconds.',
  status: 'limited',
  reason: 'rate_limited',
  retryAfter: 60,
};

describe('per-client limit, 429 answers and bounded decoys', () => {
  let emulator: Emulator;
  let phone: Phone;
  const apps: TestApp[] = [];

  /** An app behind a trusted loopback proxy: X-Forwarded-For names the client (req.ip). */
  async function app(options: Partial<Omit<TestAppOptions, 'apiUrl' | 'service'>> = {}): Promise<TestApp> {
    const built = buildTestApp({ apiUrl: emulator.url, service: emulator.service, ...options });
    built.app.set('trust proxy', 'loopback');
    const a = await listenTestApp(built, options);
    apps.push(a);
    return a;
  }

  function start(a: TestApp, ip: string, username: string, browser = request.agent(a.url)): request.Test {
    return browser.post('/login').set('X-Forwarded-For', ip).set('Accept', 'application/json').send({ username });
  }

  before(async () => {
    ({ emulator, phone } = await emulatorWithUsers(['uma', 'vic', 'wes', 'xena', 'yuri', 'zack']));
    const directory = new DirectoryFactory(emulator.directory.id, emulator.directory.privateKey, {
      url: emulator.url,
    }).makeDirectoryClient();
    await directory.generateUserTotp('wes');
  });

  after(async () => {
    for (const a of apps) await a.close();
    await emulator.close();
  });

  test(
    'clientLimit: the (max+1)th start of one client is 429 with ' +
      'Retry-After, known or unknown user; other clients go on',
    async () => {
      const a = await app({ strategyOptions: { clientLimit: { max: 3, windowMs: 60_000 } } });
      for (const username of ['uma', 'nobody-1', 'vic'])
        assert.equal((await start(a, '203.0.113.7', username)).status, 202);
      const known = await start(a, '203.0.113.7', 'xena');
      const unknown = await start(a, '203.0.113.7', 'nobody-2');
      for (const res of [known, unknown]) {
        assert.deepEqual([res.status, res.body, res.headers['retry-after']], [429, LIMITED, '60']);
      }
      assert.deepEqual(await phone.auths('xena'), [], 'nothing pushed over the limit');
      assert.equal((await start(a, '198.51.100.9', 'xena')).status, 202, 'another client is not limited');
      await phone.answer('xena', 'deny');
      await phone.answer('uma', 'deny');
      await phone.answer('vic', 'deny');
    },
  );

  test('clientLimit counts TOTP attempts too, and answers them 429 alike', async () => {
    const a = await app({ strategyOptions: { clientLimit: { max: 2, windowMs: 60_000 } } });
    const code = await phone.totp('wes');
    const wrong = code === '000000' ? '111111' : '000000';
    const attempt = (otp: string): request.Test =>
      request(a.url).post('/login').set('X-Forwarded-For', '192.0.2.44').send({ username: 'wes', otp });
    assert.equal((await attempt(wrong)).status, 401);
    assert.equal((await start(a, '192.0.2.44', 'nobody-3')).status, 202);
    const over = await attempt(code);
    assert.deepEqual(
      [over.status, over.body, over.headers['retry-after']],
      [429, LIMITED, '60'],
      'even the right code',
    );
    const other = await request(a.url)
      .post('/login')
      .set('X-Forwarded-For', '192.0.2.45')
      .send({ username: 'wes', otp: code });
    assert.equal(other.status, 200, 'another client logs in');
  });

  test(
    "a flood of 500 starts from one client never makes another client's " + 'login fail (small MemoryStore)',
    async () => {
      const store = new MemoryStore({ maxEntries: 30 });
      const a = await app({ store, strategyOptions: { clientLimit: { max: 10, windowMs: 60_000 } } });
      try {
        const begun = Date.now();
        const codes = new Map<number, number>();
        let sent = 0;
        const flood = async (): Promise<void> => {
          while (sent < 500) {
            const n = sent++;
            const res = await start(a, '203.0.113.66', `flood-${n}`);
            codes.set(res.status, (codes.get(res.status) ?? 0) + 1);
          }
        };
        const flooding = Promise.all(Array.from({ length: 8 }, flood));
        // During the flood: another client logs in with a push.
        while (sent < 100) await new Promise((resolve) => setTimeout(resolve, 5));
        const during = request.agent(a.url);
        assert.equal((await start(a, '198.51.100.20', 'yuri', during)).status, 202);
        await phone.answer('yuri', 'approve');
        const done = await during.get('/login/status?wait=0').set('X-Forwarded-For', '198.51.100.20');
        assert.deepEqual([done.status, done.body.status], [200, 'authorized']);
        await flooding;
        assert.ok(Date.now() - begun < 60_000, 'bounded in time (20 s on an idle machine; generous margin)');
        assert.deepEqual(Object.fromEntries(codes), { 202: 10, 429: 490 }, 'ten decoys, then 429');
        assert.ok(
          store.sizes.pending <= 2 * 10 + 1,
          `decoys cost at most two entries each: ${JSON.stringify(store.sizes)}`,
        );
        // After the flood: a third client logs in.
        const after = request.agent(a.url);
        assert.equal((await start(a, '198.51.100.21', 'zack', after)).status, 202);
        await phone.answer('zack', 'approve');
        const ok = await after.get('/login/status?wait=0');
        assert.deepEqual([ok.status, ok.body.status], [200, 'authorized']);
      } finally {
        await store.close();
      }
    },
  );

  test('options: clientLimit is validated like the other limits, false turns it off', async () => {
    assert.throws(
      () =>
        buildTestApp({
          apiUrl: emulator.url,
          service: emulator.service,
          strategyOptions: { clientLimit: { max: 0, windowMs: 1 } },
        }),
      /clientLimit.max must be a positive integer/,
    );
    const a = await app({ strategyOptions: { clientLimit: false, pushLimit: false } });
    for (let i = 0; i < 40; i++) assert.equal((await start(a, '203.0.113.99', `free-${i}`)).status, 202);
  });
});
