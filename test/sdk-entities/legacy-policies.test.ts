import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  DuplicateGeoFenceName,
  DuplicateTimeFenceName,
  InvalidGeoFenceName,
  InvalidParameters,
  InvalidPolicyFormat,
  InvalidTimeFenceEndTime,
  InvalidTimeFenceName,
  InvalidTimeFenceStartTime,
  MismatchedTimeFenceTimezones,
} from '../../lib/sdk/errors';
import { AuthPolicy, GeoFence, ServiceSecurityPolicy, TimeFence } from '../../lib/sdk/policies';

const DEVICE_INTEGRITY_OFF = {
  factor: 'device integrity',
  requirement: 'forced requirement',
  quickfail: false,
  priority: 1,
  attributes: { 'factor enabled': 0 },
};

describe('AuthPolicy wire form (docs/protocol.md §A4.1)', () => {
  test('empty policy: no requirements, device integrity factor disabled', () => {
    assert.deepEqual(new AuthPolicy().toJSON(), { minimum_requirements: [], factors: [DEVICE_INTEGRITY_OFF] });
  });

  test('factor flags, jailbreak protection and geofences', () => {
    const p = new AuthPolicy({ knowledge: true, possession: 1, jailbreakProtection: true });
    p.addGeofence(1.5, '2', 300, 'home');
    p.addGeofence(3, 4, 50);
    assert.deepEqual(p.toJSON(), {
      minimum_requirements: [{ requirement: 'authenticated', any: 0, knowledge: 1, inherence: 0, possession: 1 }],
      factors: [
        {
          factor: 'device integrity',
          requirement: 'forced requirement',
          quickfail: false,
          priority: 1,
          attributes: { 'factor enabled': 1 },
        },
        {
          factor: 'geofence',
          requirement: 'forced requirement',
          quickfail: false,
          priority: 1,
          attributes: {
            locations: [
              { radius: 300, latitude: 1.5, longitude: 2, name: 'home' },
              { radius: 50, latitude: 3, longitude: 4 },
            ],
          },
        },
      ],
    });
    assert.deepEqual(p.minimumRequirements, ['knowledge', 'possession']);
    assert.equal(p.jailbreakProtection, true);
    assert.equal(p.geofences.length, 2);
    assert.ok(p.geofences[0]!.equals(new GeoFence(1.5, 2, 300, 'home')));
  });

  test('any amount', () => {
    const p = new AuthPolicy({ any: 2 });
    assert.deepEqual(p.toJSON().minimum_requirements, [
      { requirement: 'authenticated', any: 2, knowledge: 0, inherence: 0, possession: 0 },
    ]);
    assert.equal(p.minimumAmount, 2);
  });

  test('any together with a factor: InvalidParameters', () => {
    assert.throws(() => new AuthPolicy({ any: 1, knowledge: true }), InvalidParameters);
  });

  test('non-boolean factor flag: InvalidParameters', () => {
    assert.throws(() => new AuthPolicy({ inherence: 2 as unknown as boolean }), InvalidParameters);
    assert.throws(() => new AuthPolicy({ knowledge: 'yes' as unknown as boolean }), InvalidParameters);
  });

  test('non-numeric geofence value: InvalidParameters', () => {
    const p = new AuthPolicy();
    assert.throws(() => p.addGeofence('north' as unknown as number, 1, 1), InvalidParameters);
    assert.throws(() => new GeoFence(1, 2, {} as unknown as number, null), InvalidParameters);
    assert.deepEqual(p.toJSON().factors, [DEVICE_INTEGRITY_OFF]);
  });

  test('removeGeofence is case-insensitive; unknown name: InvalidGeoFenceName', () => {
    const p = new AuthPolicy();
    p.addGeofence(1, 2, 3, 'Office');
    p.removeGeofence('office');
    assert.equal(p.geofences.length, 0);
    assert.deepEqual((p.toJSON().factors[1]!.attributes as { locations: unknown[] }).locations, []);
    assert.throws(() => p.removeGeofence('office'), InvalidGeoFenceName);
  });

  test('requireJailbreakProtection toggles the one device-integrity factor', () => {
    const p = new AuthPolicy();
    p.requireJailbreakProtection(true);
    p.requireJailbreakProtection(false);
    p.requireJailbreakProtection(true);
    assert.deepEqual(p.toJSON().factors, [{ ...DEVICE_INTEGRITY_OFF, attributes: { 'factor enabled': 1 } }]);
  });

  test('setMinimumRequirements replaces the block', () => {
    const p = new AuthPolicy({ any: 3 });
    p.setMinimumRequirements({ inherence: true });
    assert.deepEqual(p.toJSON().minimum_requirements, [
      { requirement: 'authenticated', any: 0, knowledge: 0, inherence: 1, possession: 0 },
    ]);
    p.setMinimumRequirements();
    assert.deepEqual(p.toJSON().minimum_requirements, []);
  });

  test('getPolicy is toJSON; toJSON returns a copy', () => {
    const p = new AuthPolicy({ any: 1 });
    assert.deepEqual(p.getPolicy(), p.toJSON());
    const json = p.toJSON();
    json.factors.length = 0;
    assert.equal(p.toJSON().factors.length, 1);
  });

  test('equals compares JSON', () => {
    const a = new AuthPolicy({ knowledge: true });
    const b = new AuthPolicy({ knowledge: 1 });
    assert.ok(a.equals(b));
    b.addGeofence(1, 1, 1);
    assert.ok(!a.equals(b));
    assert.ok(!a.equals({}));
  });

  test('setPolicy from object and from JSON text; round trip', () => {
    const source = new AuthPolicy({ possession: true, jailbreakProtection: true });
    source.addGeofence(10.25, -20.5, 1000, 'depot');
    const fromObject = new AuthPolicy();
    fromObject.setPolicy(source.toJSON());
    const fromText = new AuthPolicy();
    fromText.setPolicy(JSON.stringify(source.toJSON()));
    for (const p of [fromObject, fromText]) {
      assert.ok(p.equals(source));
      assert.deepEqual(p.minimumRequirements, ['possession']);
      assert.equal(p.jailbreakProtection, true);
      assert.ok(p.geofences[0]!.equals(new GeoFence(10.25, -20.5, 1000, 'depot')));
    }
  });

  test('setPolicy reads "all" and "any"', () => {
    const p = new AuthPolicy();
    p.setPolicy({ minimum_requirements: [{ requirement: 'authenticated', all: 2 }], factors: [] });
    assert.equal(p.minimumAmount, 2);
    p.setPolicy({ minimum_requirements: [{ requirement: 'authenticated', all: 2, any: 3 }], factors: [] });
    assert.equal(p.minimumAmount, 3);
  });

  test('setPolicy: bad JSON or missing keys: InvalidPolicyFormat', () => {
    const p = new AuthPolicy();
    assert.throws(() => p.setPolicy('{not json'), InvalidPolicyFormat);
    assert.throws(() => p.setPolicy({ factors: [] }), InvalidPolicyFormat);
    assert.throws(() => p.setPolicy({ minimum_requirements: [] }), InvalidPolicyFormat);
    assert.throws(() => p.setPolicy('[]'), InvalidPolicyFormat);
  });

  test('toJSON of an unserialisable loaded policy: InvalidParameters', () => {
    const p = new AuthPolicy();
    p.setPolicy({ minimum_requirements: [], factors: [] });
    (p as unknown as { policy: Record<string, unknown> }).policy['x'] = 10n;
    assert.throws(() => p.toJSON(), InvalidParameters);
  });
});

describe('TimeFence', () => {
  test('days, zone and wire form', () => {
    const t = new TimeFence(
      'work',
      { hour: 9, minute: 0, timezone: 'America/New_York' },
      { hour: 17, minute: 30, timezone: 'America/New_York' },
      { friday: true, monday: true },
    );
    assert.deepEqual(t.days, ['Monday', 'Friday']);
    assert.equal(t.timezone, 'America/New_York');
    assert.deepEqual(t.toJSON(), {
      days: ['Monday', 'Friday'],
      'start hour': 9,
      'end hour': 17,
      name: 'work',
      'start minute': 0,
      'end minute': 30,
      timezone: 'America/New_York',
    });
  });

  test('zone defaults to UTC', () => {
    assert.equal(new TimeFence('n', { hour: 0, minute: 0 }, { hour: 1, minute: 0 }).timezone, 'UTC');
  });

  test('invalid start time: InvalidTimeFenceStartTime', () => {
    assert.throws(() => new TimeFence('n', { hour: 24, minute: 0 }, { hour: 1, minute: 0 }), InvalidTimeFenceStartTime);
    assert.throws(
      () => new TimeFence('n', null as unknown as { hour: number; minute: number }, { hour: 1, minute: 0 }),
      InvalidTimeFenceStartTime,
    );
    assert.throws(
      () => new TimeFence('n', { hour: 1, minute: 0, timezone: 'Mars/Base' }, { hour: 1, minute: 0 }),
      InvalidTimeFenceStartTime,
    );
  });

  test('invalid end time: InvalidTimeFenceEndTime', () => {
    assert.throws(() => new TimeFence('n', { hour: 1, minute: 0 }, { hour: 1, minute: 60 }), InvalidTimeFenceEndTime);
    assert.throws(() => new TimeFence('n', { hour: 1, minute: 0 }, { hour: 1.5, minute: 0 }), InvalidTimeFenceEndTime);
  });

  test('different zones: MismatchedTimeFenceTimezones', () => {
    assert.throws(
      () => new TimeFence('n', { hour: 1, minute: 0, timezone: 'Europe/Paris' }, { hour: 2, minute: 0 }),
      MismatchedTimeFenceTimezones,
    );
  });

  test('equals', () => {
    const a = new TimeFence('n', { hour: 1, minute: 0 }, { hour: 2, minute: 0 }, { sunday: true });
    assert.ok(
      a.equals(new TimeFence('n', { hour: 1, minute: 0, timezone: 'UTC' }, { hour: 2, minute: 0 }, { sunday: true })),
    );
    assert.ok(!a.equals(new TimeFence('n', { hour: 1, minute: 0 }, { hour: 2, minute: 0 }, { saturday: true })));
  });
});

describe('ServiceSecurityPolicy', () => {
  test('geofence needs a name; duplicates (case-insensitive): DuplicateGeoFenceName', () => {
    const p = new ServiceSecurityPolicy();
    assert.throws(() => p.addGeofence(1, 2, 3), InvalidParameters);
    p.addGeofence(1, 2, 3, 'Home');
    assert.throws(() => p.addGeofence(4, 5, 6, 'HOME'), DuplicateGeoFenceName);
    assert.equal(p.geofences.length, 1);
  });

  test('time fences: wire form, duplicate checked before storing, removal', () => {
    const p = new ServiceSecurityPolicy({ any: 1 });
    p.addTimefence(
      'Night',
      { hour: 22, minute: 0, timezone: 'Europe/Berlin' },
      { hour: 23, minute: 59, timezone: 'Europe/Berlin' },
      { saturday: true },
    );
    assert.throws(
      () => p.addTimefence('night', { hour: 1, minute: 0 }, { hour: 2, minute: 0 }),
      DuplicateTimeFenceName,
    );
    assert.equal(p.timefences.length, 1);
    const factor = p.toJSON().factors.find((f) => f.factor === 'timefence')!;
    assert.deepEqual(factor, {
      factor: 'timefence',
      requirement: 'forced requirement',
      quickfail: false,
      priority: 1,
      attributes: {
        'time fences': [
          {
            days: ['Saturday'],
            'start hour': 22,
            'end hour': 23,
            name: 'Night',
            'start minute': 0,
            'end minute': 59,
            timezone: 'Europe/Berlin',
          },
        ],
      },
    });
    p.removeTimefence('NIGHT');
    assert.equal(p.timefences.length, 0);
    assert.throws(() => p.removeTimefence('night'), InvalidTimeFenceName);
  });

  test('setPolicy reads time fences; JSON round trip', () => {
    const p = new ServiceSecurityPolicy({ inherence: true, jailbreakProtection: true });
    p.addGeofence(45.5, -122.25, 200, 'office');
    p.addTimefence(
      'weekdays',
      { hour: 8, minute: 15 },
      { hour: 18, minute: 45 },
      { monday: true, tuesday: true, wednesday: true, thursday: true, friday: true },
    );
    const copy = new ServiceSecurityPolicy();
    copy.setPolicy(JSON.stringify(p.toJSON()));
    assert.ok(copy.equals(p));
    assert.equal(copy.timefences.length, 1);
    assert.ok(copy.timefences[0]!.equals(p.timefences[0]));
    assert.ok(copy.geofences[0]!.equals(p.geofences[0]));
    assert.deepEqual(copy.minimumRequirements, ['inherence']);
    assert.equal(copy.jailbreakProtection, true);
  });
});
