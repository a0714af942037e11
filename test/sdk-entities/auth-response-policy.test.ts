import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidFenceType, InvalidPolicyAttributes, UnexpectedAPIResponse } from '../../lib/sdk/errors';
import {
  AuthPolicy,
  AuthorizationResponsePolicy,
  GeoCircleFence,
  Requirement,
  TerritoryFence,
  authPolicyFromAuthResponse,
  parseAuthorizationResponsePolicy,
} from '../../lib/sdk/policies';

/** Collects the warnings emitted while `fn` runs (process 'warning' events are delivered on the next tick). */
async function warningsDuring(fn: () => void): Promise<string[]> {
  const seen: string[] = [];
  const listener = (w: Error): void => {
    seen.push(w.message);
  };
  process.on('warning', listener);
  try {
    fn();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listener);
  }
  return seen;
}

describe('AuthorizationResponsePolicy', () => {
  test('defaults and SDK-side JSON (4.3)', () => {
    const p = new AuthorizationResponsePolicy();
    assert.equal(p.requirement, Requirement.OTHER);
    assert.deepEqual(p.toJSON(), {
      requirement: 'OTHER',
      fences: [],
      amount: 0,
      inherence_required: false,
      knowledge_required: false,
      possession_required: false,
    });
    const q = new AuthorizationResponsePolicy({
      requirement: Requirement.TYPES,
      knowledgeRequired: true,
      fences: [new TerritoryFence('US')],
    });
    assert.deepEqual(q.toJSON(), {
      requirement: 'TYPES',
      fences: [{ type: 'TERRITORY', name: null, administrative_area: null, country: 'US', postal_code: null }],
      amount: 0,
      inherence_required: false,
      knowledge_required: true,
      possession_required: false,
    });
  });

  test('requirement must be a Requirement: InvalidPolicyAttributes', () => {
    assert.throws(
      () => new AuthorizationResponsePolicy({ requirement: 'amount' as Requirement }),
      InvalidPolicyAttributes,
    );
    assert.equal(new AuthorizationResponsePolicy({ requirement: null }).requirement, Requirement.OTHER);
  });

  test('a fence that is not a Fence: InvalidFenceType', () => {
    assert.throws(() => new AuthorizationResponsePolicy({ fences: [{} as GeoCircleFence] }), InvalidFenceType);
  });
});

describe('parseAuthorizationResponsePolicy (4.5)', () => {
  test('amount', () => {
    const p = parseAuthorizationResponsePolicy({ requirement: 'amount', amount: 2, geofences: [] });
    assert.ok(p.equals(new AuthorizationResponsePolicy({ requirement: Requirement.AMOUNT, amount: 2 })));
  });

  test('types from an array, case-insensitive: every flag is right', () => {
    const p = parseAuthorizationResponsePolicy({
      requirement: 'types',
      types: ['Possession', 'KNOWLEDGE', 'inherence'],
    });
    assert.equal(p.requirement, Requirement.TYPES);
    assert.deepEqual([p.inherenceRequired, p.knowledgeRequired, p.possessionRequired], [true, true, true]);
    const q = parseAuthorizationResponsePolicy({ requirement: 'types', types: ['possession'] });
    assert.deepEqual([q.inherenceRequired, q.knowledgeRequired, q.possessionRequired], [false, false, true]);
  });

  test('cond_geo with untyped, GEO_CIRCLE and TERRITORY fences', () => {
    const p = parseAuthorizationResponsePolicy({
      requirement: 'cond_geo',
      geofences: [
        { latitude: 1, longitude: 2, radius: 3 },
        { type: 'GEO_CIRCLE', latitude: 4, longitude: 5, radius: 6, name: 'c' },
        { type: 'TERRITORY', country: 'US', administrative_area: 'US-CA', postal_code: '90210', name: 't' },
      ],
    });
    assert.equal(p.requirement, Requirement.COND_GEO);
    assert.ok(p.fences[0]!.equals(new GeoCircleFence(1, 2, 3)));
    assert.ok(p.fences[1]!.equals(new GeoCircleFence(4, 5, 6, 'c')));
    assert.ok(
      p.fences[2]!.equals(new TerritoryFence('US', { administrativeArea: 'US-CA', postalCode: '90210', name: 't' })),
    );
  });

  test('null, empty or unknown requirement gives OTHER', () => {
    for (const requirement of [null, '', 'something_new', undefined]) {
      assert.equal(parseAuthorizationResponsePolicy({ requirement }).requirement, Requirement.OTHER);
    }
  });

  test('round trip: object -> wire auth_policy -> parse -> equal object', () => {
    const original = new AuthorizationResponsePolicy({
      requirement: Requirement.TYPES,
      inherenceRequired: true,
      possessionRequired: true,
      fences: [new GeoCircleFence(1.25, 2.5, 100, 'x'), new TerritoryFence('GB', { administrativeArea: 'GB-ENG' })],
    });
    const json = original.toJSON();
    const wire = {
      requirement: json.requirement.toLowerCase(),
      types: [
        json.inherence_required && 'inherence',
        json.knowledge_required && 'knowledge',
        json.possession_required && 'possession',
      ].filter(Boolean),
      geofences: json.fences,
    };
    assert.ok(parseAuthorizationResponsePolicy(JSON.parse(JSON.stringify(wire))).equals(original));
  });

  test('unknown fence type: InvalidFenceType', () => {
    assert.throws(
      () => parseAuthorizationResponsePolicy({ requirement: 'amount', amount: 1, geofences: [{ type: 'POLYGON' }] }),
      InvalidFenceType,
    );
  });

  const schemaCases: [string, unknown][] = [
    ['not an object', 'amount'],
    ['requirement not a string', { requirement: 1 }],
    ['amount not a number', { requirement: 'amount', amount: 'two' }],
    ['types not a list of strings', { requirement: 'types', types: [1] }],
    ['geofences not a list', { geofences: {} }],
    ['fence without latitude', { geofences: [{ longitude: 1, radius: 1 }] }],
    ['territory country not two capitals', { geofences: [{ type: 'TERRITORY', country: 'usa' }] }],
    [
      'territory administrative area malformed',
      { geofences: [{ type: 'TERRITORY', country: 'US', administrative_area: 'California' }] },
    ],
  ];
  for (const [name, json] of schemaCases) {
    test(`schema: ${name}: UnexpectedAPIResponse`, () => {
      assert.throws(() => parseAuthorizationResponsePolicy(json), UnexpectedAPIResponse);
    });
  }
});

describe('authPolicyFromAuthResponse (legacy view, 4.5)', () => {
  test('absent or empty policy gives null', () => {
    assert.equal(authPolicyFromAuthResponse(undefined), null);
    assert.equal(authPolicyFromAuthResponse(null), null);
    assert.equal(authPolicyFromAuthResponse({ requirement: null, geofences: [] }), null);
  });

  test('amount gives any; geofences are added', () => {
    const p = authPolicyFromAuthResponse({
      requirement: 'amount',
      amount: 2,
      geofences: [{ latitude: 1, longitude: 2, radius: 3, name: 'n' }],
    })!;
    const expected = new AuthPolicy({ any: 2 });
    expected.addGeofence(1, 2, 3, 'n');
    assert.ok(p.equals(expected));
  });

  test('types give the factor flags; unknown types warn once and are ignored', async () => {
    let p: AuthPolicy | null = null;
    const warnings = await warningsDuring(() => {
      p = authPolicyFromAuthResponse({ requirement: 'types', types: ['KNOWLEDGE', 'telepathy', 'possession'] });
      authPolicyFromAuthResponse({ requirement: 'types', types: ['telepathy'] });
    });
    assert.ok(p!.equals(new AuthPolicy({ knowledge: true, possession: true })));
    assert.equal(warnings.filter((w) => w.includes('telepathy')).length, 1);
  });

  test('territory fences warn once and are skipped', async () => {
    let p: AuthPolicy | null = null;
    const json = {
      requirement: 'cond_geo',
      geofences: [
        { type: 'TERRITORY', country: 'US' },
        { type: 'GEO_CIRCLE', latitude: 1, longitude: 1, radius: 1 },
      ],
    };
    const warnings = await warningsDuring(() => {
      p = authPolicyFromAuthResponse(json);
      authPolicyFromAuthResponse(json);
    });
    assert.equal(p!.geofences.length, 1);
    assert.equal(warnings.filter((w) => w.includes('besides GeoCircleFence')).length, 1);
  });

  test('unknown fence type: InvalidFenceType', () => {
    assert.throws(
      () => authPolicyFromAuthResponse({ requirement: 'amount', amount: 1, geofences: [{ type: 'HEX' }] }),
      InvalidFenceType,
    );
  });
});
