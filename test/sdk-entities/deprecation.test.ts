import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthPolicy, GeoFence, ServiceSecurityPolicy, TimeFence } from '../../lib/sdk/policies';

test('deprecated policy classes warn once per class through DeprecationWarning', async () => {
  const seen: Error[] = [];
  const listener = (w: Error): void => {
    seen.push(w);
  };
  process.on('warning', listener);
  try {
    for (let i = 0; i < 3; i += 1) {
      new GeoFence(1, 2, 3, null);
      new TimeFence('t', { hour: 1, minute: 0 }, { hour: 2, minute: 0 });
      new AuthPolicy();
      new ServiceSecurityPolicy();
    }
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listener);
  }
  const deprecations = seen.filter((w) => w.name === 'DeprecationWarning');
  for (const cls of ['GeoFence', 'TimeFence', 'AuthPolicy', 'ServiceSecurityPolicy']) {
    assert.equal(
      deprecations.filter((w) => w.message.startsWith(`${cls} `)).length,
      1,
      `${cls} should warn exactly once`,
    );
  }
});
