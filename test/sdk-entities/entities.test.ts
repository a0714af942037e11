import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidDeviceStatus, UnexpectedAPIResponse } from '../../lib/sdk/errors';
import { KeyType, parsePublicKey, parsePublicKeys } from '../../lib/sdk/entities/shared';
import {
  DeviceStatus,
  Directory,
  DirectoryUserTOTP,
  parseDevice,
  parseDeviceLinkCompletion,
  parseDeviceLinkData,
  parseDirectory,
  parseDirectoryUserTotp,
  parseSession,
} from '../../lib/sdk/entities/directory';
import { parseService } from '../../lib/sdk/entities/service-entity';

function assertSchemaFailure(fn: () => unknown, value: unknown): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof UnexpectedAPIResponse, `expected UnexpectedAPIResponse, got ${String(err)}`);
    assert.equal(err.statusCode, null);
    assert.equal(err.reason, null);
    assert.deepEqual(err.data, { value });
    return true;
  });
}

const KEY = {
  id: 'a1:b2:c3',
  active: true,
  date_created: '2026-01-02T03:04:05Z',
  date_expires: null,
  public_key: '-----BEGIN PUBLIC KEY-----\n...',
  key_type: 2,
};

describe('PublicKey (3.1, PublicKeyValidator)', () => {
  test('parses every field', () => {
    const k = parsePublicKey(KEY);
    assert.equal(k.id, 'a1:b2:c3');
    assert.equal(k.active, true);
    assert.equal(k.created.toISOString(), '2026-01-02T03:04:05.000Z');
    assert.equal(k.expires, null);
    assert.equal(k.keyType, KeyType.SIGNATURE);
    assert.equal(
      parsePublicKey({ ...KEY, date_expires: '2027-01-01T00:00:00.5+01:00' }).expires!.toISOString(),
      '2026-12-31T23:00:00.500Z',
    );
  });

  test('key_type: missing, null, 0 give BOTH; 1 ENCRYPTION; unknown OTHER', () => {
    const { key_type: _omit, ...noType } = KEY;
    assert.equal(parsePublicKey(noType).keyType, KeyType.BOTH);
    assert.equal(parsePublicKey({ ...KEY, key_type: null }).keyType, KeyType.BOTH);
    assert.equal(parsePublicKey({ ...KEY, key_type: 0 }).keyType, KeyType.BOTH);
    assert.equal(parsePublicKey({ ...KEY, key_type: 1 }).keyType, KeyType.ENCRYPTION);
    assert.equal(parsePublicKey({ ...KEY, key_type: 7 }).keyType, KeyType.OTHER);
    assert.equal(KeyType.OTHER, -1);
  });

  test('absent active reads false', () => {
    const { active: _omit, ...noActive } = KEY;
    assert.equal(parsePublicKey(noActive).active, false);
  });

  for (const [name, json] of [
    ['id missing', { ...KEY, id: undefined }],
    ['date_created not ISO', { ...KEY, date_created: 'yesterday' }],
    ['date_expires missing', (({ date_expires: _d, ...rest }) => rest)(KEY)],
    ['public_key not a string', { ...KEY, public_key: 5 }],
    ['key_type not an integer', { ...KEY, key_type: 'signature' }],
    ['active not a boolean', { ...KEY, active: 'yes' }],
  ] as [string, unknown][]) {
    test(`schema: ${name}: UnexpectedAPIResponse`, () => assertSchemaFailure(() => parsePublicKey(json), json));
  }

  test('a key list must be a list', () => {
    assert.equal(parsePublicKeys([KEY, KEY]).length, 2);
    assertSchemaFailure(() => parsePublicKeys({ keys: [] }), { keys: [] });
  });
});

const DIRECTORY = {
  id: 'd0e1',
  name: 'Dir',
  active: true,
  service_ids: ['s1', 's2'],
  sdk_keys: ['k1'],
  premium: false,
  android_key: null,
  ios_certificate_fingerprint: 'ab:cd',
  denial_context_inquiry_enabled: true,
  webhook_url: 'https://example.test/hook',
};

describe('Directory (DirectoryValidator)', () => {
  test('parses every field and compares with equals', () => {
    const d = parseDirectory(DIRECTORY);
    assert.deepEqual(
      [
        d.id,
        d.name,
        d.active,
        d.serviceIds,
        d.sdkKeys,
        d.premium,
        d.androidKey,
        d.iosCertificateFingerprint,
        d.denialContextInquiryEnabled,
        d.webhookUrl,
      ],
      ['d0e1', 'Dir', true, ['s1', 's2'], ['k1'], false, null, 'ab:cd', true, 'https://example.test/hook'],
    );
    assert.ok(d.equals(parseDirectory({ ...DIRECTORY })));
    assert.ok(!d.equals(parseDirectory({ ...DIRECTORY, service_ids: ['s1'] })));
    assert.ok(!d.equals(parseDirectory({ ...DIRECTORY, webhook_url: null })));
    assert.ok(d instanceof Directory);
  });

  test('absent lists read [], absent or empty denial_context_inquiry_enabled reads false', () => {
    const { service_ids: _s, sdk_keys: _k, denial_context_inquiry_enabled: _d, ...rest } = DIRECTORY;
    const d = parseDirectory(rest);
    assert.deepEqual(d.serviceIds, []);
    assert.deepEqual(d.sdkKeys, []);
    assert.equal(d.denialContextInquiryEnabled, false);
    assert.equal(
      parseDirectory({ ...DIRECTORY, denial_context_inquiry_enabled: '' }).denialContextInquiryEnabled,
      false,
    );
  });

  for (const [name, json] of [
    ['not an object', null],
    ['name missing', { ...DIRECTORY, name: undefined }],
    ['android_key missing', (({ android_key: _a, ...rest }) => rest)(DIRECTORY)],
    ['webhook_url not a string', { ...DIRECTORY, webhook_url: 3 }],
    ['service_ids not strings', { ...DIRECTORY, service_ids: [1] }],
    ['premium not a boolean', { ...DIRECTORY, premium: 'no' }],
  ] as [string, unknown][]) {
    test(`schema: ${name}: UnexpectedAPIResponse`, () => assertSchemaFailure(() => parseDirectory(json), json));
  }
});

const SESSION = {
  auth_request: 'ar-1',
  date_created: '2026-03-04T05:06:07Z',
  service_icon: null,
  service_id: 'svc',
  service_name: 'Shop',
};

describe('Session (DirectoryGetSessionsValidator)', () => {
  test('parses; null auth_request and icon stay null', () => {
    const s = parseSession({ ...SESSION, auth_request: null });
    assert.deepEqual(
      [s.authRequest, s.created.getTime(), s.serviceIcon, s.serviceId, s.serviceName],
      [null, Date.parse('2026-03-04T05:06:07Z'), null, 'svc', 'Shop'],
    );
  });
  for (const [name, json] of [
    ['date_created missing', { ...SESSION, date_created: undefined }],
    ['service_id missing', { ...SESSION, service_id: undefined }],
    ['service_icon missing', (({ service_icon: _i, ...rest }) => rest)(SESSION)],
  ] as [string, unknown][]) {
    test(`schema: ${name}: UnexpectedAPIResponse`, () => assertSchemaFailure(() => parseSession(json), json));
  }
});

describe('DirectoryUserDeviceLinkData (DirectoryUserDeviceLinkResponseValidator)', () => {
  const LINK = { qrcode: 'https://example.test/qr?code=abcdefg', code: 'abcdefg', device_id: 'dev-1' };
  test('parses', () => {
    const l = parseDeviceLinkData(LINK);
    assert.deepEqual([l.qrcode, l.code, l.deviceId], [LINK.qrcode, 'abcdefg', 'dev-1']);
  });
  test('schema: code shorter than 7 characters: UnexpectedAPIResponse', () =>
    assertSchemaFailure(() => parseDeviceLinkData({ ...LINK, code: 'abc' }), { ...LINK, code: 'abc' }));
  test('schema: device_id missing: UnexpectedAPIResponse', () =>
    assertSchemaFailure(() => parseDeviceLinkData({ ...LINK, device_id: undefined }), {
      ...LINK,
      device_id: undefined,
    }));
});

describe('DirectoryUserTOTP (DirectoryUserTOTPValidator)', () => {
  const TOTP = { secret: 'JBSWY3DPEHPK3PXP', algorithm: 'SHA1', period: 30, digits: 6 };
  test('parses and compares with equals', () => {
    const t = parseDirectoryUserTotp(TOTP);
    assert.ok(
      t.equals(new DirectoryUserTOTP({ secret: 'JBSWY3DPEHPK3PXP', algorithm: 'SHA1', period: 30, digits: 6 })),
    );
    assert.ok(
      !t.equals(new DirectoryUserTOTP({ secret: 'JBSWY3DPEHPK3PXP', algorithm: 'SHA256', period: 30, digits: 6 })),
    );
  });
  test('schema: digits not an integer: UnexpectedAPIResponse', () =>
    assertSchemaFailure(() => parseDirectoryUserTotp({ ...TOTP, digits: '6' }), { ...TOTP, digits: '6' }));
  test('schema: secret missing: UnexpectedAPIResponse', () =>
    assertSchemaFailure(() => parseDirectoryUserTotp({ ...TOTP, secret: undefined }), { ...TOTP, secret: undefined }));
});

describe('DeviceLinkCompletionResponse (DirectoryDeviceLinkCompletionValidator)', () => {
  const DONE = {
    type: 'DEVICE_LINK_COMPLETION',
    device_id: 'dev',
    device_public_key: 'PEM',
    device_public_key_id: 'kid',
  };
  test('parses, with kind', () => {
    const r = parseDeviceLinkCompletion(DONE);
    assert.deepEqual(
      [r.kind, r.deviceId, r.devicePublicKey, r.devicePublicKeyId],
      ['device-link-completion', 'dev', 'PEM', 'kid'],
    );
  });
  test('schema: other type: UnexpectedAPIResponse', () =>
    assertSchemaFailure(() => parseDeviceLinkCompletion({ ...DONE, type: 'AUTHORIZATION_RESPONSE' }), {
      ...DONE,
      type: 'AUTHORIZATION_RESPONSE',
    }));
  test('schema: device_public_key_id missing: UnexpectedAPIResponse', () =>
    assertSchemaFailure(() => parseDeviceLinkCompletion({ ...DONE, device_public_key_id: undefined }), {
      ...DONE,
      device_public_key_id: undefined,
    }));
});

describe('Device and DeviceStatus (DirectoryGetDeviceResponseValidator)', () => {
  const DEVICE = {
    id: 'dev',
    name: 'Phone',
    type: 'Android',
    status: 1,
    created: '2026-01-01T00:00:00Z',
    updated: '2026-01-02T00:00:00Z',
  };
  test('statuses', () => {
    assert.deepEqual(
      [0, 1, 2].map((c) => {
        const s = new DeviceStatus(c);
        return [s.code, s.statusCode, s.isActive];
      }),
      [
        [0, 'LINK_PENDING', false],
        [1, 'LINKED', true],
        [2, 'UNLINK_PENDING', true],
      ],
    );
    assert.throws(() => new DeviceStatus(3), InvalidDeviceStatus);
    assert.throws(() => new DeviceStatus(-1), InvalidDeviceStatus);
  });
  test('parses; created/updated optional', () => {
    const d = parseDevice(DEVICE);
    assert.deepEqual(
      [d.id, d.name, d.type, d.status.statusCode, d.created!.getTime(), d.updated!.getTime()],
      ['dev', 'Phone', 'Android', 'LINKED', Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-01-02T00:00:00Z')],
    );
    const { created: _c, updated: _u, ...bare } = DEVICE;
    const p = parseDevice({ ...bare, name: null, status: 0 });
    assert.deepEqual([p.name, p.created, p.updated, p.status.isActive], [null, null, null, false]);
  });
  test('unknown status code: InvalidDeviceStatus', () =>
    assert.throws(() => parseDevice({ ...DEVICE, status: 9 }), InvalidDeviceStatus));
  for (const [name, json] of [
    ['status not an integer', { ...DEVICE, status: 'LINKED' }],
    ['name missing', (({ name: _n, ...rest }) => rest)(DEVICE)],
    ['created not ISO', { ...DEVICE, created: 'today' }],
  ] as [string, unknown][]) {
    test(`schema: ${name}: UnexpectedAPIResponse`, () => assertSchemaFailure(() => parseDevice(json), json));
  }
});

describe('Service (ServiceValidator)', () => {
  const SERVICE = { id: 'svc', icon: null, name: 'Shop', description: 'A shop', active: true, callback_url: null };
  test('parses; nulls stay null', () => {
    const s = parseService(SERVICE);
    assert.deepEqual(
      [s.id, s.icon, s.name, s.description, s.active, s.callbackUrl],
      ['svc', null, 'Shop', 'A shop', true, null],
    );
  });
  test('schema: callback_url missing: UnexpectedAPIResponse', () => {
    const { callback_url: _c, ...rest } = SERVICE;
    assertSchemaFailure(() => parseService(rest), rest);
  });
  test('schema: name null: UnexpectedAPIResponse', () =>
    assertSchemaFailure(() => parseService({ ...SERVICE, name: null }), { ...SERVICE, name: null }));
});
