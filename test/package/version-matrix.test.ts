// Express 4/5 x Passport 0.6/0.7: each combination installed with the packed tarball in a temp app, and a push
// login approved through the emulator, `/me`, logout and the session ended at the API (scripts/version-matrix.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { packTarball } from '../../scripts/package-tools';
import { COMBINATIONS, runCombination } from '../../scripts/version-matrix';

const STEPS = {
  login: { status: 202, body: { status: 'pending' } },
  pushes: 1,
  approved: 'AUTHORIZED',
  status: [200, 'authorized'],
  me: { status: 200, body: { name: 'alice' } },
  'sessions after login': 1,
  logout: { status: 200, body: { status: 'logged-out' } },
  'me after logout': 401,
  'sessions after logout': 0,
};

describe('version matrix: login/logout smoke flow', { timeout: 300_000, concurrency: 2 }, () => {
  for (const combo of COMBINATIONS) {
    test(`express ${combo.express} + passport ${combo.passport}`, async () => {
      const r = await runCombination(await packTarball(), combo);
      assert.equal(r.error, undefined);
      assert.deepEqual(r.steps, STEPS);
      const major = (v: string | undefined) => v?.replace(/^\^/, '').split('.')[0];
      const minor = (v: string | undefined) => v?.replace(/^~/, '').split('.').slice(0, 2).join('.');
      assert.equal(major(r.versions?.express), major(combo.express));
      assert.equal(minor(r.versions?.passport), minor(combo.passport));
    });
  }
});
