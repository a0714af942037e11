import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  InvalidFenceType,
  InvalidParameters,
  InvalidPolicyAttributes,
  InvalidPolicyFormat,
  UnexpectedAPIResponse,
  UnknownPolicyException,
} from '../../lib/sdk/errors';
import {
  ConditionalGeoFencePolicy,
  FactorsPolicy,
  GeoCircleFence,
  LegacyPolicy,
  MethodAmountPolicy,
  Policy,
  TerritoryFence,
  TimeFence,
  parseServicePolicy,
  type Fence,
} from '../../lib/sdk/policies';

const circle = new GeoCircleFence(36.083548, -115.157517, 1000.5, 'Vegas');
const unnamedCircle = new GeoCircleFence('12.5', '-3', '20');
const territory = new TerritoryFence('US', { administrativeArea: 'US-NV', postalCode: 89169, name: 'Zip' });
const bareTerritory = new TerritoryFence('CA');

function roundTrip(policy: Policy): Policy {
  const parsed = parseServicePolicy(JSON.parse(JSON.stringify(policy.toJSON())));
  assert.ok(
    parsed.equals(policy),
    `round trip changed ${JSON.stringify(policy.toJSON())} into ${JSON.stringify(parsed.toJSON())}`,
  );
  assert.equal(parsed.constructor, policy.constructor);
  return parsed;
}

describe('fences', () => {
  test('GeoCircleFence coerces numeric strings and has the 4.3 JSON', () => {
    assert.deepEqual(unnamedCircle.toJSON(), {
      type: 'GEO_CIRCLE',
      name: null,
      latitude: 12.5,
      longitude: -3,
      radius: 20,
    });
    assert.ok(circle.equals(new GeoCircleFence('36.083548', -115.157517, 1000.5, 'Vegas')));
    assert.ok(!circle.equals(new GeoCircleFence(36.083548, -115.157517, 1000.5)));
  });

  test('GeoCircleFence: non-numeric values: InvalidParameters', () => {
    assert.throws(() => new GeoCircleFence('x', 1, 1), InvalidParameters);
    assert.throws(() => new GeoCircleFence(1, Number.NaN, 1), InvalidParameters);
    assert.throws(() => new GeoCircleFence(1, 1, '' as unknown as number), InvalidParameters);
  });

  test('TerritoryFence converts a numeric postal code and keeps empty values null', () => {
    assert.deepEqual(territory.toJSON(), {
      type: 'TERRITORY',
      name: 'Zip',
      administrative_area: 'US-NV',
      country: 'US',
      postal_code: '89169',
    });
    assert.deepEqual(new TerritoryFence('US', { administrativeArea: '', postalCode: '' }).toJSON(), {
      type: 'TERRITORY',
      name: null,
      administrative_area: null,
      country: 'US',
      postal_code: null,
    });
    assert.ok(
      territory.equals(new TerritoryFence('US', { administrativeArea: 'US-NV', postalCode: '89169', name: 'Zip' })),
    );
    assert.ok(!territory.equals(bareTerritory));
  });
});

describe('policy JSON (docs/protocol.md §A4.3) and round trips', () => {
  test('MethodAmountPolicy', () => {
    const p = new MethodAmountPolicy({ amount: 2, denyRootedJailbroken: true, fences: [circle, territory] });
    assert.deepEqual(p.toJSON(), {
      type: 'METHOD_AMOUNT',
      fences: [circle.toJSON(), territory.toJSON()],
      amount: 2,
      deny_rooted_jailbroken: true,
      deny_emulator_simulator: false,
    });
    roundTrip(p);
    roundTrip(new MethodAmountPolicy());
  });

  test('MethodAmountPolicy: null deny flags leave their keys out and survive a round trip', () => {
    const p = new MethodAmountPolicy({ amount: 1, denyRootedJailbroken: null, denyEmulatorSimulator: null });
    assert.deepEqual(p.toJSON(), { type: 'METHOD_AMOUNT', fences: [], amount: 1 });
    const back = roundTrip(p) as MethodAmountPolicy;
    assert.equal(back.denyRootedJailbroken, null);
  });

  test('FactorsPolicy lists factors as INHERENCE, KNOWLEDGE, POSSESSION', () => {
    const p = new FactorsPolicy({
      possessionRequired: true,
      knowledgeRequired: true,
      inherenceRequired: true,
      denyEmulatorSimulator: true,
      fences: [bareTerritory],
    });
    assert.deepEqual(p.toJSON(), {
      type: 'FACTORS',
      fences: [bareTerritory.toJSON()],
      factors: ['INHERENCE', 'KNOWLEDGE', 'POSSESSION'],
      deny_rooted_jailbroken: false,
      deny_emulator_simulator: true,
    });
    roundTrip(p);
    roundTrip(new FactorsPolicy({ knowledgeRequired: true }));
  });

  test('ConditionalGeoFencePolicy stores fresh nested copies without deny keys', () => {
    const inside = new MethodAmountPolicy({ amount: 1 });
    const outside = new FactorsPolicy({
      inherenceRequired: true,
      possessionRequired: true,
      denyRootedJailbroken: null,
    });
    const p = new ConditionalGeoFencePolicy(inside, outside, {
      denyRootedJailbroken: true,
      fences: [circle, unnamedCircle],
    });
    assert.notEqual(p.inside, inside);
    assert.equal(p.inside.denyRootedJailbroken, null);
    assert.equal(p.outside.denyEmulatorSimulator, null);
    assert.deepEqual(p.toJSON(), {
      type: 'COND_GEO',
      fences: [circle.toJSON(), unnamedCircle.toJSON()],
      inside: { type: 'METHOD_AMOUNT', fences: [], amount: 1 },
      outside: { type: 'FACTORS', fences: [], factors: ['INHERENCE', 'POSSESSION'] },
      deny_rooted_jailbroken: true,
      deny_emulator_simulator: false,
    });
    roundTrip(p);
    roundTrip(
      new ConditionalGeoFencePolicy(
        new FactorsPolicy({ knowledgeRequired: true }),
        new MethodAmountPolicy({ amount: 3 }),
        { fences: [territory] },
      ),
    );
  });

  test('LegacyPolicy emits the API legacy form (Java/.NET)', () => {
    const t = new TimeFence(
      'evening',
      { hour: 18, minute: 5, timezone: 'America/Los_Angeles' },
      { hour: 22, minute: 0, timezone: 'America/Los_Angeles' },
      { monday: true, sunday: true },
    );
    const p = new LegacyPolicy({
      amount: 2,
      denyRootedJailbroken: true,
      fences: [circle, unnamedCircle],
      timeRestrictions: [t],
    });
    assert.deepEqual(p.toJSON(), {
      type: 'LEGACY',
      minimum_requirements: [{ requirement: 'authenticated', any: 2, knowledge: 0, inherence: 0, possession: 0 }],
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
              { radius: 1000.5, latitude: 36.083548, longitude: -115.157517, name: 'Vegas' },
              { radius: 20, latitude: 12.5, longitude: -3 },
            ],
          },
        },
        {
          factor: 'timefence',
          requirement: 'forced requirement',
          quickfail: false,
          priority: 1,
          attributes: {
            'time fences': [
              {
                days: ['Monday', 'Sunday'],
                'start hour': 18,
                'end hour': 22,
                name: 'evening',
                'start minute': 5,
                'end minute': 0,
                timezone: 'America/Los_Angeles',
              },
            ],
          },
        },
      ],
    });
    const back = roundTrip(p) as LegacyPolicy;
    assert.ok(back.timeRestrictions[0]!.equals(t));
    assert.ok(back.fences[1]!.equals(unnamedCircle));
  });

  test('LegacyPolicy defaults: fences [] and an empty legacy policy', () => {
    const p = new LegacyPolicy();
    assert.deepEqual(p.fences, []);
    assert.deepEqual(p.toJSON(), { type: 'LEGACY', minimum_requirements: [], factors: [] });
    roundTrip(p);
    const flags = new LegacyPolicy({ inherenceRequired: true, knowledgeRequired: true });
    assert.deepEqual(flags.toJSON().minimum_requirements, [
      { requirement: 'authenticated', any: 0, knowledge: 1, inherence: 1, possession: 0 },
    ]);
    roundTrip(flags);
  });
});

describe('nesting and validation rules (docs/protocol.md §A4.6)', () => {
  test('a fence that is not a Fence: InvalidFenceType', () => {
    const notFence = { type: 'GEO_CIRCLE', latitude: 1, longitude: 1, radius: 1 } as unknown as Fence;
    assert.throws(() => new MethodAmountPolicy({ fences: [notFence] }), InvalidFenceType);
    assert.throws(() => new FactorsPolicy({ fences: [circle, notFence] }), InvalidFenceType);
    assert.throws(
      () => new ConditionalGeoFencePolicy(new MethodAmountPolicy(), new MethodAmountPolicy(), { fences: [notFence] }),
      InvalidFenceType,
    );
  });

  test('LegacyPolicy fences must be GeoCircleFence: InvalidFenceType', () => {
    assert.throws(() => new LegacyPolicy({ fences: [territory as unknown as GeoCircleFence] }), InvalidFenceType);
  });

  test('nested policy must be MethodAmountPolicy or FactorsPolicy: InvalidPolicyAttributes', () => {
    const cond = new ConditionalGeoFencePolicy(new MethodAmountPolicy(), new MethodAmountPolicy(), {
      fences: [circle],
    });
    assert.throws(
      () => new ConditionalGeoFencePolicy(cond as never, new MethodAmountPolicy()),
      InvalidPolicyAttributes,
    );
    assert.throws(
      () => new ConditionalGeoFencePolicy(new MethodAmountPolicy(), new LegacyPolicy() as never),
      InvalidPolicyAttributes,
    );
  });

  test('nested policy with fences: InvalidPolicyAttributes', () => {
    assert.throws(
      () => new ConditionalGeoFencePolicy(new MethodAmountPolicy({ fences: [circle] }), new MethodAmountPolicy()),
      InvalidPolicyAttributes,
    );
    assert.throws(
      () => new ConditionalGeoFencePolicy(new MethodAmountPolicy(), new FactorsPolicy({ fences: [territory] })),
      InvalidPolicyAttributes,
    );
  });

  test('nested deny flags must be false or null: InvalidPolicyAttributes', () => {
    assert.throws(
      () =>
        new ConditionalGeoFencePolicy(new MethodAmountPolicy({ denyRootedJailbroken: true }), new MethodAmountPolicy()),
      InvalidPolicyAttributes,
    );
    assert.throws(
      () => new ConditionalGeoFencePolicy(new MethodAmountPolicy(), new FactorsPolicy({ denyEmulatorSimulator: true })),
      InvalidPolicyAttributes,
    );
    assert.doesNotThrow(
      () =>
        new ConditionalGeoFencePolicy(
          new MethodAmountPolicy({ denyRootedJailbroken: null }),
          new FactorsPolicy({ denyEmulatorSimulator: false }),
        ),
    );
  });

  test('bad amounts and flags: InvalidParameters', () => {
    assert.throws(() => new MethodAmountPolicy({ amount: -1 }), InvalidParameters);
    assert.throws(() => new MethodAmountPolicy({ amount: 1.5 }), InvalidParameters);
    assert.throws(() => new FactorsPolicy({ knowledgeRequired: 'yes' as unknown as boolean }), InvalidParameters);
    assert.throws(() => new LegacyPolicy({ amount: '2' as unknown as number }), InvalidParameters);
  });
});

describe('parseServicePolicy (docs/protocol.md §A4.4) and its schema (§A3.7)', () => {
  test('absent type means LEGACY; the emulator default policy', () => {
    const p = parseServicePolicy({ type: 'LEGACY', minimum_requirements: [], factors: [], fences: [] });
    assert.ok(p instanceof LegacyPolicy);
    assert.ok(p.equals(new LegacyPolicy()));
    const q = parseServicePolicy({
      minimum_requirements: [{ requirement: 'authenticated', all: 2, knowledge: 1 }],
      factors: [
        { factor: 'device integrity', attributes: { 'factor enabled': 1 } },
        { factor: 'geofence', attributes: { locations: [{ latitude: 1, longitude: 2, radius: 3 }] } },
      ],
    }) as LegacyPolicy;
    assert.ok(q instanceof LegacyPolicy);
    assert.equal(q.amount, 2);
    assert.equal(q.knowledgeRequired, true);
    assert.equal(q.denyRootedJailbroken, true);
    assert.ok(q.fences[0]!.equals(new GeoCircleFence(1, 2, 3)));
  });

  test('LEGACY without minimum_requirements or factors: InvalidPolicyFormat', () => {
    assert.throws(() => parseServicePolicy({ type: 'LEGACY', factors: [] }), InvalidPolicyFormat);
    assert.throws(() => parseServicePolicy({ minimum_requirements: [] }), InvalidPolicyFormat);
  });

  test('unknown type: UnknownPolicyException', () => {
    assert.throws(() => parseServicePolicy({ type: 'BIOMETRIC_ONLY', fences: [] }), UnknownPolicyException);
  });

  test('nested type other than METHOD_AMOUNT/FACTORS: UnknownPolicyException', () => {
    const base = {
      type: 'COND_GEO',
      fences: [circle.toJSON()],
      outside: { type: 'METHOD_AMOUNT', amount: 1, fences: [] },
    };
    assert.throws(
      () => parseServicePolicy({ ...base, inside: { type: 'COND_GEO', fences: [] } }),
      UnknownPolicyException,
    );
    assert.throws(
      () => parseServicePolicy({ ...base, inside: { type: 'LEGACY', fences: [] } }),
      UnknownPolicyException,
    );
  });

  test('nested fences: InvalidFenceType; nested deny flags are dropped', () => {
    const inside = { type: 'METHOD_AMOUNT', amount: 1, fences: [circle.toJSON()] };
    const outside = { type: 'METHOD_AMOUNT', amount: 1, fences: [], deny_rooted_jailbroken: true };
    assert.throws(
      () => parseServicePolicy({ type: 'COND_GEO', fences: [circle.toJSON()], inside, outside }),
      InvalidFenceType,
    );
    const p = parseServicePolicy({
      type: 'COND_GEO',
      fences: [circle.toJSON()],
      inside: { ...inside, fences: [] },
      outside,
    }) as ConditionalGeoFencePolicy;
    assert.equal(p.outside.denyRootedJailbroken, null);
  });

  test('unknown fence type: InvalidFenceType', () => {
    assert.throws(
      () => parseServicePolicy({ type: 'METHOD_AMOUNT', amount: 1, fences: [{ type: 'POLYGON', points: [] }] }),
      InvalidFenceType,
    );
  });

  test('fence without type is a GEO_CIRCLE (docs/protocol.md §10.4)', () => {
    const p = parseServicePolicy({
      type: 'METHOD_AMOUNT',
      amount: 1,
      fences: [{ latitude: 1, longitude: 2, radius: 3, name: 'a' }],
    });
    assert.ok(p.fences[0]!.equals(new GeoCircleFence(1, 2, 3, 'a')));
  });

  test('absent top-level deny flags become null', () => {
    const p = parseServicePolicy({ type: 'FACTORS', factors: ['KNOWLEDGE'] }) as FactorsPolicy;
    assert.equal(p.denyRootedJailbroken, null);
    assert.equal(p.denyEmulatorSimulator, null);
    assert.deepEqual(p.fences, []);
  });

  const schemaCases: [string, unknown][] = [
    ['not an object', [1, 2]],
    ['type not a string', { type: 5 }],
    ['fences not a list', { type: 'METHOD_AMOUNT', amount: 1, fences: {} }],
    ['deny flag not a boolean', { type: 'METHOD_AMOUNT', amount: 1, deny_rooted_jailbroken: 'yes' }],
    ['METHOD_AMOUNT without amount', { type: 'METHOD_AMOUNT' }],
    ['METHOD_AMOUNT amount not an integer', { type: 'METHOD_AMOUNT', amount: 1.5 }],
    ['FACTORS with an empty list', { type: 'FACTORS', factors: [] }],
    ['FACTORS with an unknown factor', { type: 'FACTORS', factors: ['KNOWLEDGE', 'LUCK'] }],
    [
      'COND_GEO without fences',
      {
        type: 'COND_GEO',
        fences: [],
        inside: { type: 'METHOD_AMOUNT', amount: 1 },
        outside: { type: 'METHOD_AMOUNT', amount: 1 },
      },
    ],
    [
      'COND_GEO with an empty inside',
      { type: 'COND_GEO', fences: [circle.toJSON()], inside: {}, outside: { type: 'METHOD_AMOUNT', amount: 1 } },
    ],
    [
      'COND_GEO nested policy failing its rules',
      {
        type: 'COND_GEO',
        fences: [circle.toJSON()],
        inside: { type: 'FACTORS', factors: [] },
        outside: { type: 'METHOD_AMOUNT', amount: 1 },
      },
    ],
    [
      'fence with an empty type',
      { type: 'METHOD_AMOUNT', amount: 1, fences: [{ type: '', latitude: 1, longitude: 1, radius: 1 }] },
    ],
    [
      'fence with an empty name',
      {
        type: 'METHOD_AMOUNT',
        amount: 1,
        fences: [{ type: 'GEO_CIRCLE', name: '', latitude: 1, longitude: 1, radius: 1 }],
      },
    ],
    [
      'GEO_CIRCLE without radius',
      { type: 'METHOD_AMOUNT', amount: 1, fences: [{ type: 'GEO_CIRCLE', latitude: 1, longitude: 1 }] },
    ],
    [
      'GEO_CIRCLE with a text latitude',
      {
        type: 'METHOD_AMOUNT',
        amount: 1,
        fences: [{ type: 'GEO_CIRCLE', latitude: 'north', longitude: 1, radius: 1 }],
      },
    ],
    [
      'TERRITORY with an empty country',
      { type: 'METHOD_AMOUNT', amount: 1, fences: [{ type: 'TERRITORY', country: '' }] },
    ],
  ];
  for (const [name, json] of schemaCases) {
    test(`schema: ${name}: UnexpectedAPIResponse`, () => {
      assert.throws(
        () => parseServicePolicy(json),
        (err: unknown) => {
          assert.ok(err instanceof UnexpectedAPIResponse, `got ${String(err)}`);
          assert.equal(err.statusCode, null);
          assert.ok('value' in err.data);
          return true;
        },
      );
    });
  }
});
