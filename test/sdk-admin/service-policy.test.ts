/** Service policies through the emulator: every policy type round-trips, defaults, errors, deprecated calls. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConditionalGeoFencePolicy,
  FactorsPolicy,
  GeoCircleFence,
  InvalidFenceType,
  InvalidParameters,
  InvalidPolicyFormat,
  InvalidPolicyInput,
  LegacyPolicy,
  MethodAmountPolicy,
  ServiceNotFound,
  ServiceSecurityPolicy,
  TerritoryFence,
  TimeFence,
  UnexpectedAPIResponse,
  UnknownPolicyException,
  type DirectoryClient,
  type OrganizationClient,
} from 'passport-truvalidate/sdk';
import { UNKNOWN_ID, captureWarnings, directoryFactory, organizationFactory, type RecordingTransport } from './helpers';
import { startTestEmulator, type Emulator } from '../fixtures/emulator';

describe('service policies', () => {
  let emulator: Emulator;
  let org: OrganizationClient;
  let dir: DirectoryClient;
  let dirTransport: RecordingTransport;
  let counter = 0;
  const newDirService = (): Promise<string> => dir.createService(`policy service ${++counter}`);

  before(async () => {
    emulator = await startTestEmulator();
    org = organizationFactory(emulator).factory.makeOrganizationClient();
    const d = directoryFactory(emulator);
    dir = d.factory.makeDirectoryClient();
    dirTransport = d.transport;
  });
  after(async () => {
    await emulator.close();
  });

  test('a new service has the blank LEGACY policy; removeServicePolicy restores it', async () => {
    const id = await newDirService();
    const blank = await dir.getAdvancedServicePolicy(id);
    assert.ok(blank instanceof LegacyPolicy);
    assert.equal(blank.amount, 0);
    assert.equal(blank.knowledgeRequired, false);
    assert.equal(blank.inherenceRequired, false);
    assert.equal(blank.possessionRequired, false);
    assert.deepEqual(blank.fences, []);
    assert.deepEqual(blank.timeRestrictions, []);
    assert.deepEqual(dirTransport.last, {
      method: 'POST',
      path: '/directory/v3/service/policy/item',
      subject: `dir:${emulator.directory.id}`,
      body: { service_id: id },
    });

    await dir.setAdvancedServicePolicy(id, new MethodAmountPolicy({ amount: 2 }));
    assert.ok((await dir.getAdvancedServicePolicy(id)) instanceof MethodAmountPolicy);
    await dir.removeServicePolicy(id);
    assert.deepEqual(dirTransport.last, {
      method: 'DELETE',
      path: '/directory/v3/service/policy',
      subject: `dir:${emulator.directory.id}`,
      body: { service_id: id },
    });
    const reset = await dir.getAdvancedServicePolicy(id);
    assert.ok(reset instanceof LegacyPolicy);
    assert.deepEqual(reset.toJSON(), blank.toJSON());
  });

  const circle = new GeoCircleFence(36.083548, -115.157517, 1500.5, 'Las Vegas');
  const territory = new TerritoryFence('US', { administrativeArea: 'US-NV', postalCode: '89169', name: 'Nevada zip' });
  const roundTrips = [
    {
      label: 'METHOD_AMOUNT with fences and deny flags',
      make: () =>
        new MethodAmountPolicy({
          amount: 3,
          denyRootedJailbroken: true,
          denyEmulatorSimulator: false,
          fences: [circle, territory],
        }),
    },
    { label: 'METHOD_AMOUNT without flags', make: () => new MethodAmountPolicy({ amount: 0 }) },
    {
      label: 'FACTORS',
      make: () =>
        new FactorsPolicy({
          knowledgeRequired: true,
          possessionRequired: true,
          denyEmulatorSimulator: true,
          fences: [territory],
        }),
    },
    {
      label: 'COND_GEO',
      make: () =>
        new ConditionalGeoFencePolicy(
          new FactorsPolicy({ inherenceRequired: true }),
          new MethodAmountPolicy({ amount: 2 }),
          {
            denyRootedJailbroken: true,
            fences: [circle, territory],
          },
        ),
    },
    {
      label: 'LEGACY',
      make: () =>
        new LegacyPolicy({
          amount: 0,
          knowledgeRequired: true,
          inherenceRequired: true,
          denyRootedJailbroken: true,
          fences: [circle, new GeoCircleFence(-33.8688, 151.2093, 250, null)],
          timeRestrictions: [
            new TimeFence(
              'Office hours',
              { hour: 9, minute: 0, timezone: 'UTC' },
              { hour: 17, minute: 30, timezone: 'UTC' },
              { monday: true, friday: true },
            ),
          ],
        }),
    },
    { label: 'LEGACY with an amount', make: () => new LegacyPolicy({ amount: 2 }) },
  ];

  for (const { label, make } of roundTrips) {
    test(`${label} round-trips through both clients`, async () => {
      const policy = make();
      const dirServiceId = await newDirService();
      await dir.setAdvancedServicePolicy(dirServiceId, policy);
      assert.deepEqual(dirTransport.last, {
        method: 'PUT',
        path: '/directory/v3/service/policy',
        subject: `dir:${emulator.directory.id}`,
        body: { service_id: dirServiceId, policy: JSON.parse(JSON.stringify(policy.toJSON())) },
      });
      const back = await dir.getAdvancedServicePolicy(dirServiceId);
      assert.equal(back.constructor, policy.constructor);
      assert.deepEqual(back.toJSON(), policy.toJSON());

      const orgServiceId = await org.createService(`org policy service ${++counter}`);
      await org.setAdvancedServicePolicy(orgServiceId, policy);
      const orgBack = await org.getAdvancedServicePolicy(orgServiceId);
      assert.equal(orgBack.constructor, policy.constructor);
      assert.deepEqual(orgBack.toJSON(), policy.toJSON());
    });
  }

  test(
    'the API returns new-format policies normalised: fences everywhere, ' + 'deny flags false when never set',
    async () => {
      const id = await newDirService();
      await dirTransport.put('/directory/v3/service/policy', `dir:${emulator.directory.id}`, {
        service_id: id,
        policy: {
          type: 'COND_GEO',
          fences: [{ name: 'No type means circle', latitude: 1.5, longitude: 2.25, radius: 300 }],
          inside: { type: 'METHOD_AMOUNT', amount: 1 },
          outside: { type: 'FACTORS', factors: ['POSSESSION'] },
        },
      });
      const raw = (
        await dirTransport.post('/directory/v3/service/policy/item', `dir:${emulator.directory.id}`, { service_id: id })
      ).data as Record<string, unknown>;
      assert.deepEqual(raw, {
        type: 'COND_GEO',
        fences: [{ type: 'GEO_CIRCLE', name: 'No type means circle', latitude: 1.5, longitude: 2.25, radius: 300 }],
        inside: { type: 'METHOD_AMOUNT', amount: 1, fences: [] },
        outside: { type: 'FACTORS', factors: ['POSSESSION'], fences: [] },
        deny_rooted_jailbroken: false,
        deny_emulator_simulator: false,
      });
      const parsed = await dir.getAdvancedServicePolicy(id);
      assert.ok(parsed instanceof ConditionalGeoFencePolicy);
      assert.equal(parsed.denyRootedJailbroken, false);
      assert.equal(parsed.denyEmulatorSimulator, false);
    },
  );

  test("the Python SDK's LegacyPolicy form is stored in the API legacy form", async () => {
    const id = await newDirService();
    await dirTransport.put('/directory/v3/service/policy', `dir:${emulator.directory.id}`, {
      service_id: id,
      policy: {
        type: 'LEGACY',
        amount: 0,
        inherence_required: false,
        knowledge_required: true,
        possession_required: true,
        deny_rooted_jailbroken: true,
        fences: [{ type: 'GEO_CIRCLE', name: 'home', latitude: 10.125, longitude: 20.5, radius: 100 }],
        time_restrictions: [],
      },
    });
    const back = await dir.getAdvancedServicePolicy(id);
    assert.ok(back instanceof LegacyPolicy);
    assert.equal(back.knowledgeRequired, true);
    assert.equal(back.possessionRequired, true);
    assert.equal(back.inherenceRequired, false);
    assert.equal(back.denyRootedJailbroken, true);
    assert.equal(back.fences.length, 1);
    assert.equal(back.fences[0]?.latitude, 10.125);
    assert.equal(back.fences[0]?.name, 'home');
  });

  test('invalid policy content is InvalidPolicyInput (SVC-002)', async () => {
    const id = await newDirService();
    await assert.rejects(
      dir.setAdvancedServicePolicy(id, new FactorsPolicy()),
      (e: unknown) => e instanceof InvalidPolicyInput && e.errorCode === 'SVC-002',
    );
    const invalid: unknown[] = [
      { type: 'METHOD_AMOUNT', amount: 9 },
      { type: 'FACTORS', factors: ['TELEPATHY'] },
      {
        type: 'COND_GEO',
        fences: [],
        inside: { type: 'METHOD_AMOUNT', amount: 1 },
        outside: { type: 'METHOD_AMOUNT', amount: 1 },
      },
      {
        type: 'COND_GEO',
        fences: [{ type: 'TERRITORY', country: 'US' }],
        inside: { type: 'COND_GEO' },
        outside: { type: 'METHOD_AMOUNT', amount: 1 },
      },
      { type: 'METHOD_AMOUNT', amount: 1, fences: [{ type: 'SQUARE' }] },
      { type: 'METHOD_AMOUNT', amount: 1, fences: [{ type: 'TERRITORY', country: 'usa' }] },
      { type: 'NOPE' },
      { minimum_requirements: 'all', factors: [] },
      { minimum_requirements: [{ requirement: 'authenticated', any: 2, knowledge: 1 }], factors: [] },
    ];
    for (const policy of invalid) {
      await assert.rejects(
        dirTransport.put('/directory/v3/service/policy', `dir:${emulator.directory.id}`, {
          service_id: id,
          policy: policy as Record<string, unknown>,
        }),
        InvalidPolicyInput,
        JSON.stringify(policy),
      );
    }
  });

  test('an object that is not a policy class is refused before any call with InvalidParameters', async () => {
    const id = await newDirService();
    const calls = dirTransport.calls.length;
    await assert.rejects(
      dir.setAdvancedServicePolicy(id, { toJSON: () => ({}) } as unknown as MethodAmountPolicy),
      InvalidParameters,
    );
    assert.equal(dirTransport.calls.length, calls);
  });

  test('policy calls on an unknown or foreign service are ServiceNotFound (SVC-004)', async () => {
    const orgService = await org.createService(`foreign to the directory ${++counter}`);
    for (const id of [UNKNOWN_ID, orgService]) {
      await assert.rejects(
        dir.getAdvancedServicePolicy(id),
        (e: unknown) => e instanceof ServiceNotFound && e.errorCode === 'SVC-004',
      );
      await assert.rejects(dir.setAdvancedServicePolicy(id, new MethodAmountPolicy({ amount: 1 })), ServiceNotFound);
      await assert.rejects(dir.removeServicePolicy(id), ServiceNotFound);
    }
    await assert.rejects(org.getAdvancedServicePolicy(UNKNOWN_ID), ServiceNotFound);
    await assert.rejects(dir.getAdvancedServicePolicy('nope'), InvalidParameters);
    await assert.rejects(
      dir.setAdvancedServicePolicy('nope', new MethodAmountPolicy({ amount: 1 })),
      InvalidParameters,
    );
    await assert.rejects(dir.removeServicePolicy('nope'), InvalidParameters);
  });

  test(
    'policy answers the SDK cannot rebuild: UnknownPolicyException, ' +
      'InvalidFenceType, InvalidPolicyFormat, UnexpectedAPIResponse',
    async () => {
      const id = await newDirService();
      const answers: Array<[unknown, new (...args: never[]) => Error]> = [
        [{ type: 'RISK_SCORE', fences: [] }, UnknownPolicyException],
        [{ type: 'METHOD_AMOUNT', amount: 1, fences: [{ type: 'SQUARE', name: 'x' }] }, InvalidFenceType],
        [{ type: 'LEGACY', factors: [] }, InvalidPolicyFormat],
        ['not an object', UnexpectedAPIResponse],
      ];
      for (const [answer, errorClass] of answers) {
        dirTransport.rewriteNextAnswer(() => answer);
        await assert.rejects(dir.getAdvancedServicePolicy(id), errorClass, JSON.stringify(answer));
      }
    },
  );

  test('deprecated getServicePolicy/setServicePolicy work with ServiceSecurityPolicy and warn once', async () => {
    const id = await newDirService();
    const policy = new ServiceSecurityPolicy({ knowledge: true, possession: true, jailbreakProtection: true });
    policy.addGeofence(40.7128, -74.006, 500, 'NYC');
    policy.addTimefence(
      'Nights',
      { hour: 20, minute: 15, timezone: 'UTC' },
      { hour: 23, minute: 45, timezone: 'UTC' },
      { saturday: true, sunday: true },
    );
    const set = await captureWarnings(() => dir.setServicePolicy(id, policy));
    assert.ok(set.warnings.some((w) => w.startsWith('DeprecationWarning') && w.includes('setServicePolicy')));
    assert.deepEqual(dirTransport.last.body, { service_id: id, policy: JSON.parse(JSON.stringify(policy.toJSON())) });

    const got = await captureWarnings(() => dir.getServicePolicy(id));
    assert.ok(got.warnings.some((w) => w.startsWith('DeprecationWarning') && w.includes('getServicePolicy')));
    assert.ok(got.result instanceof ServiceSecurityPolicy);
    assert.deepEqual(got.result.toJSON(), policy.toJSON());

    const again = await captureWarnings(() => dir.getServicePolicy(id));
    assert.equal(
      again.warnings.filter((w) => w.includes('getServicePolicy')).length,
      0,
      'the deprecation warns once per process',
    );

    const modern = await newDirService();
    await dir.setAdvancedServicePolicy(modern, new FactorsPolicy({ inherenceRequired: true }));
    const none = await captureWarnings(() => dir.getServicePolicy(modern));
    assert.equal(none.result, null);
    assert.ok(none.warnings.some((w) => w.includes('not a legacy policy')));
  });

  test(
    'getServicePolicy reads a LEGACY policy holding both an amount and ' +
      'factor flags instead of throwing InvalidParameters',
    async () => {
      // AuthPolicy's constructor refuses `any` with specific factors, and the emulator refuses to store such a policy
      // (SVC-002, docs/protocol.md §9), but a reader must not fail on one the API hands back: play that answer.
      const id = await newDirService();
      const stored = new LegacyPolicy({
        knowledgeRequired: true,
        possessionRequired: true,
        denyRootedJailbroken: true,
        fences: [new GeoCircleFence(1, 2, 300, 'Home')],
      });
      await dir.setAdvancedServicePolicy(id, stored);
      dirTransport.rewriteNextAnswer((data) => {
        const answer = structuredClone(data) as { minimum_requirements: Array<Record<string, unknown>> };
        answer.minimum_requirements[0]!['any'] = 2;
        return answer;
      });
      const got = await captureWarnings(() => dir.getServicePolicy(id));
      const policy = got.result;
      assert.ok(policy instanceof ServiceSecurityPolicy);
      assert.equal(policy.minimumAmount, 2);
      assert.deepEqual(policy.minimumRequirements, ['knowledge', 'possession']);
      assert.equal(policy.jailbreakProtection, true);
      assert.deepEqual(
        policy.geofences.map((g) => [g.latitude, g.longitude, g.radius, g.name]),
        [[1, 2, 300, 'Home']],
      );
      assert.deepEqual(policy.toJSON().minimum_requirements, [
        { requirement: 'authenticated', any: 2, knowledge: 1, inherence: 0, possession: 1 },
      ]);

      // Writing it back sends the policy unchanged; refusing the combination is the server's call.
      await assert.rejects(dir.setServicePolicy(id, policy), InvalidPolicyInput);
      assert.deepEqual(
        (dirTransport.last.body?.['policy'] as { minimum_requirements: unknown }).minimum_requirements,
        policy.toJSON().minimum_requirements,
      );
    },
  );

  test('getServicePolicy refuses a LEGACY policy with an unnamed geofence with InvalidParameters', async () => {
    const id = await newDirService();
    await dir.setAdvancedServicePolicy(id, new LegacyPolicy({ amount: 1, fences: [new GeoCircleFence(1, 2, 300)] }));
    await assert.rejects(dir.getServicePolicy(id), InvalidParameters);
  });
});
