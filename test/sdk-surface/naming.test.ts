/**
 * Conformance of the public SDK surface (`passport-truvalidate/sdk`) with Appendix A of docs/protocol.md: the naming
 * table (§A6), the exception classes (§A5), the constants (§A1.5), the entities and enums (§A3), the policy classes
 * (§A3.4, §A3.5, §A4), the factories and their makers (§A1.3, §A1.4), and every client method of §A2.2 to §A2.5 on the
 * right class, asynchronous as §A0 says. Expected names live in spec-tables.ts and in the call tables below.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import * as sdk from 'passport-truvalidate/sdk';
import type { ApiResponse, FactoryOptions, Transport } from 'passport-truvalidate/sdk';
import { translateApiError } from '../../lib/sdk/errors';
import {
  API_ERRORS,
  CONSTANTS,
  EXPORTED_CLASSES,
  KEY_TYPE_MEMBERS,
  NON_API_ERRORS,
  STRING_ENUMS,
  TS_ADDED_API_ERRORS,
} from './spec-tables';

/** The package root as a plain record, to look names up dynamically. */
const surface = sdk as unknown as Record<string, unknown>;

/** Any class, abstract or with a protected constructor included. */
type AnyClass = { readonly prototype: object; readonly name: string };

function exportedClass(name: string): AnyClass {
  const value = surface[name];
  assert.equal(typeof value, 'function', `${name} is exported from passport-truvalidate/sdk as a class`);
  return value as AnyClass;
}

function assertExtendsDirectly(child: AnyClass, parent: AnyClass): void {
  assert.equal(Object.getPrototypeOf(child), parent, `${child.name} extends ${parent.name} directly`);
}

function isAsyncFunction(fn: unknown): boolean {
  return Object.prototype.toString.call(fn) === '[object AsyncFunction]';
}

const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

/* --------------------------------------------------------------------------------------------------------------
 * Client method tables (docs/protocol.md §A2.2 to §A2.5). Each entry calls the method with arguments of its TS
 * signature; the return type `Promise<unknown>` makes tsc check that the method is declared asynchronous.
 * ------------------------------------------------------------------------------------------------------------ */

const ID = randomUUID();
const KEY_ID = 'e0:2f:00:00:00:00:00:00:00:00:00:00:00:00:00:75';
const webhookHeaders = { 'content-type': 'application/json' };

/** docs/protocol.md §A2.2, methods of ServiceManagingBaseClient (deprecated: getServicePolicy, setServicePolicy). */
const SERVICE_MANAGING_CALLS = {
  createService: (c) => c.createService('name', { description: null, icon: null, callbackUrl: null, active: true }),
  getAllServices: (c) => c.getAllServices(),
  getServices: (c) => c.getServices([ID]),
  getService: (c) => c.getService(ID),
  updateService: (c) => c.updateService(ID, { name: 'renamed' }),
  addServicePublicKey: (c) =>
    c.addServicePublicKey(ID, publicKey, { expires: new Date(), active: true, keyType: sdk.KeyType.BOTH }),
  getServicePublicKeys: (c) => c.getServicePublicKeys(ID),
  removeServicePublicKey: (c) => c.removeServicePublicKey(ID, KEY_ID),
  updateServicePublicKey: (c) => c.updateServicePublicKey(ID, KEY_ID, { expires: null, active: false }),
  getServicePolicy: (c) => c.getServicePolicy(ID),
  getAdvancedServicePolicy: (c) => c.getAdvancedServicePolicy(ID),
  setServicePolicy: (c) => c.setServicePolicy(ID, new sdk.ServiceSecurityPolicy()),
  setAdvancedServicePolicy: (c) => c.setAdvancedServicePolicy(ID, new sdk.MethodAmountPolicy({ amount: 1 })),
  removeServicePolicy: (c) => c.removeServicePolicy(ID),
} satisfies Record<string, (client: sdk.ServiceManagingBaseClient) => Promise<unknown>>;

/** docs/protocol.md §A2.3, methods OrganizationClient adds. */
const ORGANIZATION_CALLS = {
  createDirectory: (c) => c.createDirectory('directory'),
  getAllDirectories: (c) => c.getAllDirectories(),
  getDirectories: (c) => c.getDirectories([ID]),
  getDirectory: (c) => c.getDirectory(ID),
  updateDirectory: (c) =>
    c.updateDirectory(ID, {
      iosP12: null,
      androidKey: null,
      active: true,
      denialContextInquiryEnabled: false,
      webhookUrl: null,
    }),
  getDirectoryPublicKeys: (c) => c.getDirectoryPublicKeys(ID),
  addDirectoryPublicKey: (c) => c.addDirectoryPublicKey(ID, publicKey, { keyType: sdk.KeyType.ENCRYPTION }),
  removeDirectoryPublicKey: (c) => c.removeDirectoryPublicKey(ID, KEY_ID),
  updateDirectoryPublicKey: (c) => c.updateDirectoryPublicKey(ID, KEY_ID, { active: true }),
  generateAndAddDirectorySdkKey: (c) => c.generateAndAddDirectorySdkKey(ID),
  removeDirectorySdkKey: (c) => c.removeDirectorySdkKey(ID, ID),
  getAllDirectorySdkKeys: (c) => c.getAllDirectorySdkKeys(ID),
} satisfies Record<string, (client: sdk.OrganizationClient) => Promise<unknown>>;

/** docs/protocol.md §A2.4, methods DirectoryClient adds. */
const DIRECTORY_CALLS = {
  linkDevice: (c) => c.linkDevice('user', { ttl: 300 }),
  getLinkedDevices: (c) => c.getLinkedDevices('user'),
  unlinkDevice: (c) => c.unlinkDevice('user', ID),
  endAllServiceSessions: (c) => c.endAllServiceSessions('user'),
  getAllServiceSessions: (c) => c.getAllServiceSessions('user'),
  generateUserTotp: (c) => c.generateUserTotp('user'),
  removeUserTotp: (c) => c.removeUserTotp('user'),
  handleWebhook: (c) => c.handleWebhook('{}', webhookHeaders, 'POST', '/webhook'),
} satisfies Record<string, (client: sdk.DirectoryClient) => Promise<unknown>>;

/**
 * docs/protocol.md §A2.5, methods of ServiceClient (deprecated: authorize, getAuthorizationResponse, handleWebhook).
 */
const SERVICE_CALLS = {
  authorize: (c) => c.authorize('user', { context: 'ctx', title: 'title', ttl: 60, pushTitle: 'p', pushBody: 'b' }),
  authorizationRequest: (c) =>
    c.authorizationRequest('user', {
      context: 'ctx',
      policy: new sdk.AuthPolicy({ any: 1 }),
      denialReasons: [new sdk.DenialReason('1', 'no', false), new sdk.DenialReason('2', 'fraud', true)],
    }),
  getAdvancedAuthorizationResponse: (c) => c.getAdvancedAuthorizationResponse(ID),
  getAuthorizationResponse: (c) => c.getAuthorizationResponse(ID),
  cancelAuthorizationRequest: (c) => c.cancelAuthorizationRequest(ID),
  sessionStart: (c) => c.sessionStart('user', ID),
  sessionEnd: (c) => c.sessionEnd('user'),
  verifyTotp: (c) => c.verifyTotp('user', '123456'),
  handleAdvancedWebhook: (c) => c.handleAdvancedWebhook('{}', webhookHeaders, 'POST', '/webhook'),
  handleWebhook: (c) => c.handleWebhook('{}', webhookHeaders, 'POST', '/webhook'),
} satisfies Record<string, (client: sdk.ServiceClient) => Promise<unknown>>;

/** Deprecated members (docs/protocol.md §A1.3, §A2.2, §A2.5) and the replacement each warning must point to. */
const DEPRECATED = [
  { owner: 'ServiceManagingBaseClient', method: 'getServicePolicy', replacement: 'getAdvancedServicePolicy' },
  { owner: 'ServiceManagingBaseClient', method: 'setServicePolicy', replacement: 'setAdvancedServicePolicy' },
  { owner: 'ServiceClient', method: 'authorize', replacement: 'authorizationRequest' },
  { owner: 'ServiceClient', method: 'getAuthorizationResponse', replacement: 'getAdvancedAuthorizationResponse' },
  { owner: 'ServiceClient', method: 'handleWebhook', replacement: 'handleAdvancedWebhook' },
  { owner: 'BaseFactory', method: 'addAdditionalPrivateKey', replacement: 'addEncryptionPrivateKey' },
] as const;

/** Compile-time checks only (never called): the abstract classes of docs/protocol.md §A6 cannot be constructed. */
function abstractClassesAreAbstract(transport: Transport): void {
  // @ts-expect-error BaseFactory is abstract
  new sdk.BaseFactory('org', ID, privateKey, {});
  // @ts-expect-error ServiceManagingBaseClient is abstract
  new sdk.ServiceManagingBaseClient('org', ID, transport, '/organization/v3/services');
  // @ts-expect-error Fence is abstract
  new sdk.Fence('name');
  // @ts-expect-error Policy is abstract
  new sdk.Policy([]);
  // @ts-expect-error LaunchKeyError is abstract
  new sdk.LaunchKeyError('message');
}
void abstractClassesAreAbstract;

/* -------------------------------------------------------------------------------------------------------------- */

describe('docs/protocol.md §A1.5: constants', () => {
  for (const [name, value] of Object.entries(CONSTANTS)) {
    test(`${name} is exported with its exact value`, () => {
      assert.ok(name in surface, `${name} is exported`);
      assert.deepEqual(Array.isArray(surface[name]) ? [...(surface[name] as unknown[])] : surface[name], value);
    });
  }

  test('the transport members of the 1.5 contract exist on JOSETransport', () => {
    const members = [
      'setUrl',
      'setIssuer',
      'addEncryptionPrivateKey',
      'request',
      'get',
      'post',
      'put',
      'patch',
      'delete',
      'decryptResponse',
      'decryptRsaResponse',
      'verifyJwtRequest',
      'parseApiTime',
    ];
    for (const member of members)
      assert.equal(
        typeof (sdk.JOSETransport.prototype as unknown as Record<string, unknown>)[member],
        'function',
        `JOSETransport.${member}`,
      );
    const transport: Transport = new sdk.JOSETransport();
    const sample: ApiResponse<null> = { data: null, headers: {}, statusCode: 200, reason: 'OK', rawData: '' };
    assert.deepEqual(Object.keys(sample).sort(), ['data', 'headers', 'rawData', 'reason', 'statusCode']);
    assert.ok(transport instanceof sdk.JOSETransport);
  });
});

describe('docs/protocol.md §A5: exception classes', () => {
  test('LaunchKeyError extends Error; LaunchKeyAPIException extends LaunchKeyError', () => {
    assertExtendsDirectly(exportedClass('LaunchKeyError'), Error);
    assertExtendsDirectly(exportedClass('LaunchKeyAPIException'), exportedClass('LaunchKeyError'));
  });

  const cases: Array<[string, string, string]> = [
    ...Object.entries(NON_API_ERRORS).map(([name, code]): [string, string, string] => [name, code, 'LaunchKeyError']),
    ...Object.entries(API_ERRORS).map(([name, e]): [string, string, string] => [name, e.code, 'LaunchKeyAPIException']),
    ...Object.entries(TS_ADDED_API_ERRORS).map(([name, code]): [string, string, string] => [
      name,
      code,
      'LaunchKeyAPIException',
    ]),
  ];
  for (const [name, code, base] of cases) {
    test(`${name} extends ${base}, is named "${name}", code ${code}`, () => {
      const ErrorClass = exportedClass(name);
      if (name !== 'LaunchKeyAPIException') assertExtendsDirectly(ErrorClass, exportedClass(base));
      const Concrete = ErrorClass as unknown as new (message?: string) => sdk.LaunchKeyError;
      const error = new Concrete('detail text');
      assert.ok(error instanceof Error && error instanceof sdk.LaunchKeyError);
      assert.equal(error.name, name);
      assert.equal(error.message, 'detail text');
      assert.equal(error.code, code);
      assert.equal(new Concrete().code, code, 'the code does not depend on the message');
    });
  }

  test('every exported error class is one of section 5 or a listed TS addition; codes are unique', () => {
    const listed = new Set([
      ...Object.keys(NON_API_ERRORS),
      ...Object.keys(API_ERRORS),
      ...Object.keys(TS_ADDED_API_ERRORS),
      'LaunchKeyError',
    ]);
    const exported = Object.entries(surface)
      .filter(([, v]) => typeof v === 'function' && (v as { prototype?: unknown }).prototype instanceof Error)
      .map(([k]) => k);
    assert.deepEqual(
      exported.filter((name) => !listed.has(name)),
      [],
    );
    const codes = cases.map(([, code]) => code);
    assert.equal(new Set(codes).size, codes.length);
  });

  test('LaunchKeyAPIException fields: message, detail, statusCode, reason, data, errorCode', () => {
    const error = new sdk.LaunchKeyAPIException({ field: 'bad' }, 400, 'Bad Request', { a: 1 }, 'ARG-001');
    assert.equal(error.message, JSON.stringify({ field: 'bad' }));
    assert.deepEqual(error.detail, { field: 'bad' });
    assert.equal(error.statusCode, 400);
    assert.equal(error.reason, 'Bad Request');
    assert.deepEqual(error.data, { a: 1 });
    assert.equal(error.errorCode, 'ARG-001');
    assert.deepEqual(new sdk.LaunchKeyAPIException('x').data, {});
  });

  test('ApiErrorResponse reads an error body: error_code, error_detail, error_data; none gives HTTP-<status>', () => {
    const read = sdk.ApiErrorResponse.fromBody(
      { error_code: 'SVC-005', error_detail: 'busy', error_data: { a: 1 } },
      409,
      'Conflict',
    );
    assert.deepEqual(
      [read.errorCode, read.errorDetail, read.errorData, read.statusCode, read.reason],
      ['SVC-005', 'busy', { a: 1 }, 409, 'Conflict'],
    );
    const none = sdk.ApiErrorResponse.fromBody({ message: 'other shape' }, 503, 'Service Unavailable');
    assert.deepEqual(
      [none.errorCode, none.errorDetail, none.errorData, none.statusCode, none.reason],
      ['HTTP-503', 'Service Unavailable', null, 503, 'Service Unavailable'],
    );
    assert.equal(
      sdk.ApiErrorResponse.fromBody({ error_code: 'ARG-001', error_detail: 'x', error_data: [1] }, 400, 'Bad Request')
        .errorData,
      null,
    );
  });

  test('AuthorizationInProgress exposes authorizationRequestId, expires and fromSameService from error_data', () => {
    const expires = '2030-01-02T03:04:05Z';
    const error = new sdk.AuthorizationInProgress('busy', 409, 'Conflict', {
      auth_request: ID,
      expires,
      from_same_service: true,
    });
    assert.equal(error.authorizationRequestId, ID);
    assert.deepEqual(error.expires, new Date(expires));
    assert.equal(error.fromSameService, true);
    const bare = new sdk.AuthorizationInProgress('busy');
    assert.deepEqual([bare.authorizationRequestId, bare.expires, bare.fromSameService], [null, null, null]);
  });

  test('the API error codes and HTTP statuses of the table map to their classes (docs/protocol.md §A2.1)', () => {
    for (const [name, { apiCode, status }] of Object.entries(API_ERRORS)) {
      const ErrorClass = exportedClass(name);
      if (apiCode !== undefined) {
        const error = translateApiError(
          { error_code: apiCode, error_detail: 'detail' },
          apiCode === 'SVC-005' ? 409 : 400,
          'Bad Request',
        );
        assert.equal(error.constructor, ErrorClass, `${apiCode} gives ${name}`);
        assert.equal(error.errorCode, apiCode);
      }
      if (status !== undefined) {
        const error = translateApiError(null, status, 'Reason');
        assert.equal(error.constructor, ErrorClass, `HTTP ${status} gives ${name}`);
        assert.equal(error.statusCode, status);
      }
    }
    assert.equal(translateApiError(null, 418, 'Teapot').constructor, sdk.LaunchKeyAPIException);
    assert.ok(translateApiError(null, 503, 'Unavailable') instanceof sdk.LaunchKeyAPIException);
  });
});

describe('docs/protocol.md §A6: names exported from the package root', () => {
  for (const name of EXPORTED_CLASSES) {
    test(`${name} is exported`, () => {
      exportedClass(name);
    });
  }
});

describe('docs/protocol.md §A3: enums and entities', () => {
  test('KeyType: BOTH 0, ENCRYPTION 1, SIGNATURE 2, OTHER -1, nothing else', () => {
    const members = Object.fromEntries(Object.entries(sdk.KeyType).filter(([k]) => Number.isNaN(Number(k))));
    assert.deepEqual(members, KEY_TYPE_MEMBERS);
  });

  for (const [name, members] of Object.entries(STRING_ENUMS)) {
    test(`${name} has exactly the members ${members.join(', ')}, each valued as its name`, () => {
      const enumObject = surface[name];
      assert.equal(typeof enumObject, 'object', `${name} is exported`);
      assert.deepEqual(Object.entries(enumObject as object).sort(), members.map((m) => [m, m]).sort());
    });
  }

  test('DeviceStatus: code to statusCode/isActive; unknown code is InvalidDeviceStatus', () => {
    const rows = [
      [0, 'LINK_PENDING', false],
      [1, 'LINKED', true],
      [2, 'UNLINK_PENDING', true],
    ] as const;
    for (const [code, statusCode, isActive] of rows) {
      const status = new sdk.DeviceStatus(code);
      assert.deepEqual([status.code, status.statusCode, status.isActive], [code, statusCode, isActive]);
    }
    assert.throws(() => new sdk.DeviceStatus(3), sdk.InvalidDeviceStatus);
  });

  test('entity classes carry the camelCase properties of the naming table', () => {
    const created = new Date('2024-01-01T00:00:00Z');
    const entities: Array<[object, string[]]> = [
      [
        new sdk.PublicKey({ id: KEY_ID, active: true, created, expires: null, publicKey, keyType: sdk.KeyType.BOTH }),
        ['id', 'active', 'created', 'expires', 'publicKey', 'keyType'],
      ],
      [
        new sdk.Directory({
          id: ID,
          name: 'd',
          active: true,
          serviceIds: [],
          sdkKeys: [],
          premium: false,
          androidKey: null,
          iosCertificateFingerprint: null,
          webhookUrl: null,
        }),
        [
          'id',
          'name',
          'active',
          'serviceIds',
          'sdkKeys',
          'premium',
          'androidKey',
          'iosCertificateFingerprint',
          'denialContextInquiryEnabled',
          'webhookUrl',
        ],
      ],
      [
        new sdk.Session({ authRequest: ID, created, serviceIcon: null, serviceId: ID, serviceName: 's' }),
        ['authRequest', 'created', 'serviceIcon', 'serviceId', 'serviceName'],
      ],
      [
        new sdk.DirectoryUserDeviceLinkData({ qrcode: 'https://qr', code: 'abcdefg', deviceId: ID }),
        ['qrcode', 'code', 'deviceId'],
      ],
      [
        new sdk.DirectoryUserTOTP({ secret: 'S', algorithm: 'SHA1', period: 30, digits: 6 }),
        ['secret', 'algorithm', 'period', 'digits'],
      ],
      [
        new sdk.DeviceLinkCompletionResponse({ deviceId: ID, devicePublicKey: publicKey, devicePublicKeyId: KEY_ID }),
        ['deviceId', 'devicePublicKey', 'devicePublicKeyId'],
      ],
      [
        new sdk.Device({ id: ID, name: null, status: new sdk.DeviceStatus(1), type: null }),
        ['id', 'name', 'status', 'type', 'created', 'updated'],
      ],
      [
        new sdk.Service({ id: ID, icon: null, name: 's', description: null, active: true, callbackUrl: null }),
        ['id', 'icon', 'name', 'description', 'active', 'callbackUrl'],
      ],
      [new sdk.DenialReason('d1', 'reason', true), ['denialId', 'reason', 'fraud']],
      [new sdk.AuthorizationRequest(ID, null, null), ['authRequest', 'pushPackage', 'deviceIds']],
      [
        new sdk.AuthMethod(sdk.AuthMethodType.PIN_CODE, true, true, true, true, null, true, false),
        ['method', 'set', 'active', 'allowed', 'supported', 'userRequired', 'passed', 'error'],
      ],
      [new sdk.SessionEndRequest('hash', new Date()), ['serviceUserHash', 'logoutRequested']],
    ];
    for (const [entity, props] of entities) {
      for (const prop of props) assert.ok(prop in entity, `${entity.constructor.name}.${prop}`);
    }
    assert.deepEqual(new sdk.DenialReason('d1', 'reason', true).toJSON(), { id: 'd1', reason: 'reason', fraud: true });
  });

  test('AdvancedAuthorizationResponse and the deprecated AuthorizationResponse carry the properties of 3.3', () => {
    const init = {
      data: {},
      authorizationRequestId: ID,
      authorized: true,
      type: sdk.AuthResponseType.AUTHORIZED,
      reason: sdk.AuthResponseReason.APPROVED,
      denialReason: null,
      fraud: false,
      deviceId: ID,
      servicePins: ['1234'],
      serviceUserHash: 'shash',
      organizationUserHash: null,
      userPushId: ID,
      authMethods: null,
    };
    const common = [
      'data',
      'authorizationRequestId',
      'authorized',
      'type',
      'reason',
      'denialReason',
      'fraud',
      'deviceId',
      'servicePins',
      'serviceUserHash',
      'organizationUserHash',
      'userPushId',
      'authMethods',
    ];
    const advanced = new sdk.AdvancedAuthorizationResponse({ ...init, policy: null });
    for (const prop of [...common, 'policy']) assert.ok(prop in advanced, `AdvancedAuthorizationResponse.${prop}`);
    const legacy = new sdk.AuthorizationResponse({ ...init, authPolicy: null });
    for (const prop of [...common, 'authPolicy']) assert.ok(prop in legacy, `AuthorizationResponse.${prop}`);
    assert.ok(!('policy' in legacy), 'AuthorizationResponse has authPolicy instead of policy');
  });
});

describe('docs/protocol.md §A3.4, §A3.5, §A4: policy classes', () => {
  test('fence and policy hierarchy', () => {
    assertExtendsDirectly(sdk.GeoCircleFence, sdk.Fence);
    assertExtendsDirectly(sdk.TerritoryFence, sdk.Fence);
    for (const P of [
      sdk.MethodAmountPolicy,
      sdk.FactorsPolicy,
      sdk.ConditionalGeoFencePolicy,
      sdk.LegacyPolicy,
      sdk.AuthorizationResponsePolicy,
    ]) {
      assertExtendsDirectly(P, sdk.Policy);
    }
    assertExtendsDirectly(sdk.ServiceSecurityPolicy, sdk.AuthPolicy);
  });

  test('fences: constructors, properties and wire type', () => {
    const circle = new sdk.GeoCircleFence(1, 2, 3, 'c');
    assert.deepEqual([circle.latitude, circle.longitude, circle.radius, circle.name], [1, 2, 3, 'c']);
    assert.equal(circle.toJSON().type, 'GEO_CIRCLE');
    const territory = new sdk.TerritoryFence('US', { administrativeArea: 'US-CA', postalCode: '90210', name: 't' });
    assert.deepEqual(
      [territory.country, territory.administrativeArea, territory.postalCode, territory.name],
      ['US', 'US-CA', '90210', 't'],
    );
    assert.equal(territory.toJSON().type, 'TERRITORY');
    assert.equal(new sdk.GeoCircleFence(1, 2, 3).name, null);
  });

  test('new policies: option names, defaults of 3.4 and wire type of 4.3', () => {
    const amount = new sdk.MethodAmountPolicy();
    assert.deepEqual(
      [amount.amount, amount.denyRootedJailbroken, amount.denyEmulatorSimulator, amount.fences],
      [0, false, false, []],
    );
    assert.equal(amount.toJSON().type, 'METHOD_AMOUNT');

    const factors = new sdk.FactorsPolicy({ inherenceRequired: true });
    assert.deepEqual(
      [
        factors.inherenceRequired,
        factors.knowledgeRequired,
        factors.possessionRequired,
        factors.denyRootedJailbroken,
        factors.denyEmulatorSimulator,
        factors.fences,
      ],
      [true, false, false, false, false, []],
    );
    assert.equal(factors.toJSON().type, 'FACTORS');

    const fence = new sdk.GeoCircleFence(1, 2, 3, 'f');
    const geo = new sdk.ConditionalGeoFencePolicy(new sdk.MethodAmountPolicy({ amount: 2 }), factors, {
      fences: [fence],
      denyEmulatorSimulator: true,
    });
    assert.ok(geo.inside instanceof sdk.MethodAmountPolicy && geo.outside instanceof sdk.FactorsPolicy);
    assert.deepEqual(
      [geo.inside.denyRootedJailbroken, geo.inside.denyEmulatorSimulator, geo.inside.fences],
      [null, null, []],
    );
    assert.deepEqual([geo.denyRootedJailbroken, geo.denyEmulatorSimulator, geo.fences.length], [false, true, 1]);
    assert.equal(geo.toJSON().type, 'COND_GEO');

    const legacy = new sdk.LegacyPolicy();
    assert.deepEqual(
      [
        legacy.amount,
        legacy.inherenceRequired,
        legacy.knowledgeRequired,
        legacy.possessionRequired,
        legacy.denyRootedJailbroken,
        legacy.fences,
        legacy.timeRestrictions,
      ],
      [0, false, false, false, false, [], []],
    );
    assert.equal(legacy.toJSON().type, 'LEGACY');

    const reported = new sdk.AuthorizationResponsePolicy();
    assert.deepEqual(
      [
        reported.requirement,
        reported.amount,
        reported.fences,
        reported.inherenceRequired,
        reported.knowledgeRequired,
        reported.possessionRequired,
      ],
      [sdk.Requirement.OTHER, 0, [], false, false, false],
    );
  });

  test('legacy policies: AuthPolicy and ServiceSecurityPolicy members, GeoFence and TimeFence properties', () => {
    const authPolicyMethods = [
      'addGeofence',
      'removeGeofence',
      'requireJailbreakProtection',
      'setMinimumRequirements',
      'getPolicy',
      'toJSON',
      'setPolicy',
      'equals',
    ];
    for (const method of authPolicyMethods)
      assert.equal(
        typeof (sdk.AuthPolicy.prototype as unknown as Record<string, unknown>)[method],
        'function',
        `AuthPolicy.${method}`,
      );
    for (const method of ['addTimefence', 'removeTimefence', 'addGeofence']) {
      assert.ok(Object.hasOwn(sdk.ServiceSecurityPolicy.prototype, method), `ServiceSecurityPolicy.${method}`);
    }
    const policy = new sdk.ServiceSecurityPolicy({ any: 2, jailbreakProtection: true });
    assert.deepEqual(
      [
        policy.minimumAmount,
        policy.minimumRequirements,
        policy.jailbreakProtection,
        policy.geofences,
        policy.timefences,
      ],
      [2, [], true, [], []],
    );
    assert.throws(() => new sdk.AuthPolicy({ any: 1, knowledge: true }), sdk.InvalidParameters);

    const geofence = new sdk.GeoFence(1, 2, 3, 'g');
    assert.deepEqual([geofence.latitude, geofence.longitude, geofence.radius, geofence.name], [1, 2, 3, 'g']);
    const timefence = new sdk.TimeFence(
      't',
      { hour: 8, minute: 0, timezone: 'UTC' },
      { hour: 9, minute: 30, timezone: 'UTC' },
      { monday: true, friday: true },
    );
    assert.deepEqual([timefence.name, timefence.days, timefence.timezone], ['t', ['Monday', 'Friday'], 'UTC']);
    assert.deepEqual(
      [timefence.startTime.hour, timefence.startTime.minute, timefence.endTime.hour, timefence.endTime.minute],
      [8, 0, 9, 30],
    );
  });
});

describe('docs/protocol.md §A1.3, §A1.4: factories and their makers', () => {
  const makers = {
    OrganizationFactory: ['makeOrganizationClient', 'makeDirectoryClient', 'makeServiceClient'],
    DirectoryFactory: ['makeDirectoryClient', 'makeServiceClient'],
    ServiceFactory: ['makeServiceClient'],
  } as const;
  const allMakers = ['makeOrganizationClient', 'makeDirectoryClient', 'makeServiceClient'];

  test('every factory extends BaseFactory, which owns the key methods', () => {
    for (const name of Object.keys(makers)) assertExtendsDirectly(exportedClass(name), sdk.BaseFactory);
    for (const method of ['addEncryptionPrivateKey', 'addAdditionalPrivateKey'])
      assert.ok(Object.hasOwn(sdk.BaseFactory.prototype, method), `BaseFactory.${method}`);
  });

  test('each factory offers exactly the makers of the 1.4 table', () => {
    for (const [name, offered] of Object.entries(makers)) {
      const prototype = (exportedClass(name) as unknown as { prototype: Record<string, unknown> }).prototype;
      for (const maker of allMakers) {
        const expected = (offered as readonly string[]).includes(maker);
        assert.equal(
          typeof prototype[maker] === 'function',
          expected,
          `${name}.${maker} ${expected ? 'offered' : 'not offered'}`,
        );
      }
    }
  });

  test('factories, makers and key methods are synchronous and give the right client classes', () => {
    const options: FactoryOptions = { url: 'http://127.0.0.1:9', testing: false };
    const org = new sdk.OrganizationFactory(ID, privateKey, options);
    const dir = new sdk.DirectoryFactory(ID, privateKey, options);
    const svc = new sdk.ServiceFactory(ID, privateKey, options);
    assert.ok(org.makeOrganizationClient() instanceof sdk.OrganizationClient);
    assert.ok(org.makeDirectoryClient(ID) instanceof sdk.DirectoryClient);
    assert.ok(org.makeServiceClient(ID) instanceof sdk.ServiceClient);
    assert.ok(dir.makeDirectoryClient() instanceof sdk.DirectoryClient);
    assert.ok(dir.makeServiceClient(ID) instanceof sdk.ServiceClient);
    assert.ok(svc.makeServiceClient() instanceof sdk.ServiceClient);
    assert.equal(org.addEncryptionPrivateKey(privateKey), undefined);
    for (const fn of [
      sdk.BaseFactory.prototype.addEncryptionPrivateKey,
      sdk.OrganizationFactory.prototype.makeOrganizationClient,
    ]) {
      assert.equal(isAsyncFunction(fn), false);
    }
  });
});

describe('docs/protocol.md §A0 and §A2.2 to §A2.5: client methods', () => {
  const tables = [
    { owner: sdk.ServiceManagingBaseClient, calls: SERVICE_MANAGING_CALLS },
    { owner: sdk.OrganizationClient, calls: ORGANIZATION_CALLS },
    { owner: sdk.DirectoryClient, calls: DIRECTORY_CALLS },
    { owner: sdk.ServiceClient, calls: SERVICE_CALLS },
  ];

  test(
    'client hierarchy: Organization and Directory clients share ' + 'ServiceManagingBaseClient; ServiceClient does not',
    () => {
      assertExtendsDirectly(sdk.ServiceManagingBaseClient, sdk.BaseClient);
      assertExtendsDirectly(sdk.OrganizationClient, sdk.ServiceManagingBaseClient);
      assertExtendsDirectly(sdk.DirectoryClient, sdk.ServiceManagingBaseClient);
      assertExtendsDirectly(sdk.ServiceClient, sdk.BaseClient);
    },
  );

  for (const { owner, calls } of tables) {
    test(`${owner.name} defines ${Object.keys(calls).join(', ')} as async methods`, () => {
      for (const method of Object.keys(calls)) {
        assert.ok(Object.hasOwn(owner.prototype, method), `${owner.name}.prototype.${method}`);
        const fn = (owner.prototype as unknown as Record<string, unknown>)[method];
        assert.ok(isAsyncFunction(fn), `${owner.name}.${method} is async`);
      }
    });
  }

  test(
    'methods stay on their own client: no directory calls on ' +
      'OrganizationClient, no service management on ServiceClient',
    () => {
      const has = (C: AnyClass, method: string): boolean =>
        typeof (C.prototype as Record<string, unknown>)[method] === 'function';
      for (const method of Object.keys(ORGANIZATION_CALLS)) {
        assert.equal(has(sdk.DirectoryClient, method), false, `DirectoryClient.${method}`);
        assert.equal(has(sdk.ServiceClient, method), false, `ServiceClient.${method}`);
      }
      for (const method of Object.keys(DIRECTORY_CALLS).filter((m) => m !== 'handleWebhook')) {
        assert.equal(has(sdk.OrganizationClient, method), false, `OrganizationClient.${method}`);
        assert.equal(has(sdk.ServiceClient, method), false, `ServiceClient.${method}`);
      }
      assert.equal(has(sdk.OrganizationClient, 'handleWebhook'), false, 'OrganizationClient.handleWebhook');
      for (const method of Object.keys(SERVICE_MANAGING_CALLS))
        assert.equal(has(sdk.ServiceClient, method), false, `ServiceClient.${method}`);
      for (const method of Object.keys(SERVICE_CALLS).filter((m) => m !== 'handleWebhook')) {
        assert.equal(has(sdk.OrganizationClient, method), false, `OrganizationClient.${method}`);
        assert.equal(has(sdk.DirectoryClient, method), false, `DirectoryClient.${method}`);
      }
    },
  );

  describe('against an API that drops every connection', () => {
    let server: Server;
    const sockets = new Set<Socket>();
    let url = '';

    before(async () => {
      server = createServer((socket) => {
        sockets.add(socket);
        socket.destroy();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    test(
      'every client method returns a Promise and reports failure as a ' +
        'rejection with its LaunchKeyError class; deprecated ones warn',
      async () => {
        const warnings: Error[] = [];
        const onWarning = (warning: Error): void => {
          warnings.push(warning);
        };
        process.on('warning', onWarning);
        try {
          const org = new sdk.OrganizationFactory(ID, privateKey, { url });
          const orgClient = org.makeOrganizationClient();
          const dirClient = new sdk.DirectoryFactory(ID, privateKey, { url }).makeDirectoryClient();
          const svcClient = new sdk.ServiceFactory(ID, privateKey, { url }).makeServiceClient();
          const runs: Array<[string, () => Promise<unknown>]> = [
            ...Object.entries(SERVICE_MANAGING_CALLS).map(([m, call]): [string, () => Promise<unknown>] => [
              `OrganizationClient.${m}`,
              () => call(orgClient),
            ]),
            ...Object.entries(SERVICE_MANAGING_CALLS).map(([m, call]): [string, () => Promise<unknown>] => [
              `DirectoryClient.${m}`,
              () => call(dirClient),
            ]),
            ...Object.entries(ORGANIZATION_CALLS).map(([m, call]): [string, () => Promise<unknown>] => [
              `OrganizationClient.${m}`,
              () => call(orgClient),
            ]),
            ...Object.entries(DIRECTORY_CALLS).map(([m, call]): [string, () => Promise<unknown>] => [
              `DirectoryClient.${m}`,
              () => call(dirClient),
            ]),
            ...Object.entries(SERVICE_CALLS).map(([m, call]): [string, () => Promise<unknown>] => [
              `ServiceClient.${m}`,
              () => call(svcClient),
            ]),
          ];
          for (const [label, run] of runs) {
            let pending: unknown;
            assert.doesNotThrow(() => {
              pending = run();
            }, `${label} does not throw synchronously`);
            assert.ok(pending instanceof Promise, `${label} returns a Promise`);
            // The webhook handlers fail on the missing X-IOV-JWT before any call; every other method on the dropped
            // connection (docs/protocol.md §8.4).
            const expected = /\.handle(Advanced)?Webhook$/.test(label)
              ? sdk.WebhookAuthorizationError
              : sdk.UnexpectedAPIResponse;
            await assert.rejects(
              pending as Promise<unknown>,
              (err: unknown) => err instanceof sdk.LaunchKeyError && err.constructor === expected,
              `${label} rejects with ${expected.name}`,
            );
          }
          org.addAdditionalPrivateKey(privateKey);
          await new Promise((resolve) => setImmediate(resolve));
        } finally {
          process.off('warning', onWarning);
        }
        for (const { owner, method, replacement } of DEPRECATED) {
          const pattern = new RegExp(`\\b${method}\\b`);
          const warning = warnings.find((w) => w.name === 'DeprecationWarning' && pattern.test(w.message));
          assert.ok(warning, `${owner}.${method} emits a DeprecationWarning`);
          assert.ok(
            warning.message.includes(replacement),
            `the ${method} warning points to ${replacement}: ${warning.message}`,
          );
        }
      },
    );
  });
});
