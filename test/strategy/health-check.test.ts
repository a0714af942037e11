/**
 * `strategy.healthCheck()`: the strategy's own service client pings the API; an unreachable API resolves
 * `ok: false` with a message instead of rejecting.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestEmulator } from '../fixtures/emulator';
import { TruValidateStrategy } from '../../lib/strategy';

test(
  'strategy.healthCheck(): ok with the API time while the emulator runs; ' + 'ok false, no throw, once it is gone',
  async () => {
    const emu = await startTestEmulator();
    const strategy = new TruValidateStrategy(
      { serviceId: emu.service.id, privateKey: emu.service.privateKey, apiUrl: emu.url },
      async (username: string) => ({ username }),
    );
    try {
      const up = await strategy.healthCheck();
      assert.equal(up.ok, true);
      assert.ok(up.apiTime instanceof Date);
      assert.ok(Math.abs(up.apiTime.getTime() - Date.now()) < 5_000);
      assert.equal(typeof up.latencyMs, 'number');
      assert.equal(typeof up.clockDriftMs, 'number');
      assert.equal(up.error, undefined);
      await emu.close();
      const down = await strategy.healthCheck({ timeoutMs: 3_000 });
      assert.equal(down.ok, false);
      assert.equal(down.apiTime, null);
      assert.equal(down.latencyMs, null);
      assert.match(String(down.error), /\S/);
    } finally {
      await strategy.close();
      await emu.close().catch(() => {});
    }
  },
);
