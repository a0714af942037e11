/** normalizeUsername: one form of the username for every path (push, TOTP, limits, store keys, decoys, API). */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Emulator } from 'passport-truvalidate/emulator';
import { DirectoryFactory } from 'passport-truvalidate/sdk';
import { MemoryStore, TruValidateStrategy, caselessUsername, trimUsername } from 'passport-truvalidate';
import { emulatorWithUsers, type Phone } from './helpers/emulator';
import { startPush, statusNow } from './helpers/flows';
import { startTestApp, type TestApp, type TestAppOptions } from './helpers/app';

describe('normalizeUsername', () => {
  let emulator: Emulator;
  let phone: Phone;
  const apps: TestApp[] = [];

  async function app(options: Partial<Omit<TestAppOptions, 'apiUrl' | 'service'>> = {}): Promise<TestApp> {
    const a = await startTestApp({ apiUrl: emulator.url, service: emulator.service, ...options });
    apps.push(a);
    return a;
  }

  before(async () => {
    ({ emulator, phone } = await emulatorWithUsers(['nina', 'quinn', 'olga', 'amélie']));
    const directory = new DirectoryFactory(emulator.directory.id, emulator.directory.privateKey, {
      url: emulator.url,
    }).makeDirectoryClient();
    await directory.generateUserTotp('olga');
  });

  after(async () => {
    for (const a of apps) await a.close();
    await emulator.close();
  });

  test('caselessUsername: trim, NFC, lower case; trimUsername: trim only', () => {
    assert.equal(caselessUsername('  ALICE\t'), 'alice');
    assert.equal(caselessUsername('Ame\u0301lie'), 'am\u00e9lie', 'a decomposed accent is composed (NFC)');
    assert.equal(trimUsername('  Alice '), 'Alice', 'case is kept by default');
  });

  test(
    'default (trim only): surrounding spaces are dropped; another case is ' + 'another user (no push to nina)',
    async () => {
      const a = await app();
      assert.equal(a.strategy.normalizeUsername('  Nina '), 'Nina');
      const browser = request.agent(a.url);
      await startPush(browser, '  nina  ');
      assert.equal((await browser.get('/login/pending')).body.pending.username, 'nina');
      await phone.answer('nina', 'deny');
      await startPush(request.agent(a.url), 'NINA');
      assert.deepEqual(
        await phone.auths('nina'),
        [],
        'NINA is not nina at a case-sensitive directory: a decoy, nothing sent',
      );
    },
  );

  test('caselessUsername: the push, pendingLogin, verify, the push limit and decoys all use the one form', async () => {
    const verified: string[] = [];
    const a = await app({
      strategyOptions: { normalizeUsername: caselessUsername, pushLimit: { max: 2, windowMs: 60_000 } },
      verify: async (username, profile) => {
        verified.push(username);
        return { username, method: profile.method, serviceUserHash: profile.serviceUserHash };
      },
    });
    assert.equal(a.strategy.normalizeUsername(' Quinn '), 'quinn');
    const browser = request.agent(a.url);
    await startPush(browser, ' QUINN ');
    assert.equal((await browser.get('/login/pending')).body.pending.username, 'quinn');
    await phone.answer('quinn', 'approve');
    assert.equal((await statusNow(browser)).body['status'], 'authorized');
    assert.deepEqual(verified, ['quinn']);
    await startPush(request.agent(a.url), 'Quinn');
    await phone.answer('quinn', 'deny');
    const third = await request
      .agent(a.url)
      .post('/login')
      .set('Accept', 'application/json')
      .send({ username: 'quInn' });
    assert.equal(third.status, 429, 'every spelling counts against one push limit');
    assert.deepEqual(await phone.auths('quinn'), []);
    const unicode = request.agent(a.url);
    await startPush(unicode, 'AME\u0301LIE');
    assert.equal((await phone.auths('amélie')).length, 1, 'NFC + lower case reach the directory identifier');
  });

  test('caselessUsername with TOTP: the code of olga logs in as OLGA typed', async () => {
    const a = await app({ strategyOptions: { normalizeUsername: caselessUsername } });
    const res = await request
      .agent(a.url)
      .post('/login')
      .send({ username: 'OLGA', otp: await phone.totp('olga') });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.user.username, 'olga');
  });

  test(
    'a normaliser that gives an empty string reads as no username; one that ' + 'is not a function is refused',
    async () => {
      const a = await app({ strategyOptions: { normalizeUsername: () => '' } });
      const res = await request
        .agent(a.url)
        .post('/login')
        .set('Accept', 'application/json')
        .send({ username: 'nina' });
      assert.deepEqual([res.status, res.body.reason], [400, 'MISSING_USERNAME']);
      const store = new MemoryStore();
      try {
        assert.throws(
          () =>
            new TruValidateStrategy(
              { client: a.client, store, normalizeUsername: 'lower' as unknown as (raw: string) => string },
              async () => false,
            ),
          /normalizeUsername must be a function/,
        );
      } finally {
        await store.close();
      }
    },
  );
});
