/**
 * Directory entities (docs/protocol.md §A3.2) and their parse functions (§A3.7 `DirectoryValidator`,
 * `DirectoryGetSessionsValidator`, `DirectoryUserDeviceLinkResponseValidator`, `DirectoryUserTOTPValidator`,
 * `DirectoryDeviceLinkCompletionValidator`, `DirectoryGetDeviceResponseValidator`). Every parse function throws
 * UnexpectedAPIResponse when the JSON fails its schema.
 */
import { InvalidDeviceStatus } from '../errors';
import { entityClass } from './entity-class';
import {
  bool,
  optIsoDate,
  reqInt,
  reqIsoDate,
  reqNullableString,
  reqString,
  requireObject,
  schemaFailure,
  stringList,
} from './schema';

/** Properties of a {@link Directory}. */
export interface DirectoryData {
  id: string;
  name: string;
  active: boolean;
  serviceIds: readonly string[];
  sdkKeys: readonly string[];
  premium: boolean;
  androidKey: string | null;
  iosCertificateFingerprint: string | null;
  /** Default false. */
  denialContextInquiryEnabled?: boolean;
  webhookUrl: string | null;
}

/** A directory of an organization. */
export class Directory extends entityClass<DirectoryData>({
  id: true,
  name: true,
  active: true,
  serviceIds: true,
  sdkKeys: true,
  premium: true,
  androidKey: true,
  iosCertificateFingerprint: true,
  denialContextInquiryEnabled: true,
  webhookUrl: true,
}) {
  constructor(data: DirectoryData) {
    super({
      ...data,
      serviceIds: Object.freeze([...data.serviceIds]),
      sdkKeys: Object.freeze([...data.sdkKeys]),
      denialContextInquiryEnabled: data.denialContextInquiryEnabled ?? false,
    });
  }
  /** True when `other` is a Directory with all fields equal. */
  equals(other: unknown): boolean {
    return (
      other instanceof Directory &&
      other.id === this.id &&
      other.name === this.name &&
      other.active === this.active &&
      other.serviceIds.join('\n') === this.serviceIds.join('\n') &&
      other.serviceIds.length === this.serviceIds.length &&
      other.sdkKeys.join('\n') === this.sdkKeys.join('\n') &&
      other.sdkKeys.length === this.sdkKeys.length &&
      other.premium === this.premium &&
      other.androidKey === this.androidKey &&
      other.iosCertificateFingerprint === this.iosCertificateFingerprint &&
      other.denialContextInquiryEnabled === this.denialContextInquiryEnabled &&
      other.webhookUrl === this.webhookUrl
    );
  }
}

/** Properties of a {@link Session}. */
export interface SessionData {
  authRequest: string | null;
  created: Date;
  serviceIcon: string | null;
  serviceId: string;
  serviceName: string;
}

/** A service session of a directory user. */
export class Session extends entityClass<SessionData>({
  authRequest: true,
  created: true,
  serviceIcon: true,
  serviceId: true,
  serviceName: true,
}) {}

/** Properties of a {@link DirectoryUserDeviceLinkData}. */
export interface DirectoryUserDeviceLinkDataData {
  /** URL of a QR code image. */
  qrcode: string;
  /** Linking code, at least 7 characters. */
  code: string;
  /** Id of the pending device. */
  deviceId: string;
}

/** Result of `linkDevice`. */
export class DirectoryUserDeviceLinkData extends entityClass<DirectoryUserDeviceLinkDataData>({
  qrcode: true,
  code: true,
  deviceId: true,
}) {}

/** Properties of a {@link DirectoryUserTOTP}. */
export interface DirectoryUserTOTPData {
  secret: string;
  /** E.g. `SHA1`, `SHA256`. */
  algorithm: string;
  /** Seconds. */
  period: number;
  digits: number;
}

/** A TOTP secret generated for a directory user. */
export class DirectoryUserTOTP extends entityClass<DirectoryUserTOTPData>({
  secret: true,
  algorithm: true,
  period: true,
  digits: true,
}) {
  /** True when `other` is a DirectoryUserTOTP with the same secret, algorithm, period and digits. */
  equals(other: unknown): boolean {
    return (
      other instanceof DirectoryUserTOTP &&
      other.secret === this.secret &&
      other.algorithm === this.algorithm &&
      other.period === this.period &&
      other.digits === this.digits
    );
  }
}

/** Properties of a {@link DeviceLinkCompletionResponse}. */
export interface DeviceLinkCompletionData {
  deviceId: string;
  /** PEM. */
  devicePublicKey: string;
  devicePublicKeyId: string;
}

/** Directory webhook payload: a device finished linking. `kind` discriminates the webhook results. */
export class DeviceLinkCompletionResponse extends entityClass<DeviceLinkCompletionData>({
  deviceId: true,
  devicePublicKey: true,
  devicePublicKeyId: true,
}) {
  readonly kind = 'device-link-completion' as const;
}

/** Status names of a device. */
export type DeviceStatusName = 'LINK_PENDING' | 'LINKED' | 'UNLINK_PENDING';

const DEVICE_STATUSES: Readonly<Record<number, { name: DeviceStatusName; active: boolean }>> = Object.freeze({
  0: { name: 'LINK_PENDING', active: false },
  1: { name: 'LINKED', active: true },
  2: { name: 'UNLINK_PENDING', active: true },
});

/** Link status of a device, from the numeric wire status (0 LINK_PENDING, 1 LINKED, 2 UNLINK_PENDING). */
export class DeviceStatus {
  /** The raw wire value. */
  readonly code: number;
  readonly statusCode: DeviceStatusName;
  readonly isActive: boolean;
  /** @throws InvalidDeviceStatus for an unknown code */
  constructor(code: number) {
    const status = Object.prototype.hasOwnProperty.call(DEVICE_STATUSES, code) ? DEVICE_STATUSES[code] : undefined;
    if (status === undefined) throw new InvalidDeviceStatus(`Unknown device status ${JSON.stringify(code)}`);
    this.code = code;
    this.statusCode = status.name;
    this.isActive = status.active;
  }
}

/** Properties of a {@link Device}. */
export interface DeviceData {
  id: string;
  /** Empty or null while pending. */
  name: string | null;
  status: DeviceStatus;
  /** Device type label reported by the authenticator. */
  type: string | null;
  /** Default null. */
  created?: Date | null;
  /** Default null. */
  updated?: Date | null;
}

/** A device linked (or being linked) to a directory user. */
export class Device extends entityClass<DeviceData>({
  id: true,
  name: true,
  status: true,
  type: true,
  created: true,
  updated: true,
}) {
  constructor(data: DeviceData) {
    super({ ...data, created: data.created ?? null, updated: data.updated ?? null });
  }
}

/**
 * Parses a directory (`DirectoryValidator`): `id`, `name` strings; `android_key`, `ios_certificate_fingerprint`,
 * `webhook_url` present, string or null; `service_ids`, `sdk_keys` lists of strings (absent []); `premium`,
 * `active`, `denial_context_inquiry_enabled` booleans (absent false).
 */
export function parseDirectory(json: unknown): Directory {
  const what = 'directory';
  const obj = requireObject(json, what);
  return new Directory({
    id: reqString(obj, 'id', what),
    name: reqString(obj, 'name', what),
    active: bool(obj, 'active', what),
    serviceIds: stringList(obj, 'service_ids', what),
    sdkKeys: stringList(obj, 'sdk_keys', what),
    premium: bool(obj, 'premium', what),
    androidKey: reqNullableString(obj, 'android_key', what),
    iosCertificateFingerprint: reqNullableString(obj, 'ios_certificate_fingerprint', what),
    denialContextInquiryEnabled:
      obj['denial_context_inquiry_enabled'] === '' ? false : bool(obj, 'denial_context_inquiry_enabled', what),
    webhookUrl: reqNullableString(obj, 'webhook_url', what),
  });
}

/**
 * Parses a service session (`DirectoryGetSessionsValidator`): `auth_request` present, string or null;
 * `date_created` ISO; `service_icon` present, string or null; `service_id`, `service_name` strings.
 */
export function parseSession(json: unknown): Session {
  const what = 'session';
  const obj = requireObject(json, what);
  return new Session({
    authRequest: reqNullableString(obj, 'auth_request', what),
    created: reqIsoDate(obj, 'date_created', what),
    serviceIcon: reqNullableString(obj, 'service_icon', what),
    serviceId: reqString(obj, 'service_id', what),
    serviceName: reqString(obj, 'service_name', what),
  });
}

/** Parses the `linkDevice` answer (`DirectoryUserDeviceLinkResponseValidator`): `code` at least 7 characters. */
export function parseDeviceLinkData(json: unknown): DirectoryUserDeviceLinkData {
  const what = 'device link data';
  const obj = requireObject(json, what);
  return new DirectoryUserDeviceLinkData({
    qrcode: reqString(obj, 'qrcode', what),
    code: reqString(obj, 'code', what, 7),
    deviceId: reqString(obj, 'device_id', what),
  });
}

/**
 * Parses the `generateUserTotp` answer (`DirectoryUserTOTPValidator`): strings `algorithm`, `secret`; integers
 * `digits`, `period`.
 */
export function parseDirectoryUserTotp(json: unknown): DirectoryUserTOTP {
  const what = 'user TOTP';
  const obj = requireObject(json, what);
  return new DirectoryUserTOTP({
    secret: reqString(obj, 'secret', what),
    algorithm: reqString(obj, 'algorithm', what),
    period: reqInt(obj, 'period', what),
    digits: reqInt(obj, 'digits', what),
  });
}

/**
 * Parses the device link completion webhook body (`DirectoryDeviceLinkCompletionValidator`): `type` must be
 * `DEVICE_LINK_COMPLETION`; `device_id`, `device_public_key`, `device_public_key_id` strings.
 */
export function parseDeviceLinkCompletion(json: unknown): DeviceLinkCompletionResponse {
  const what = 'device link completion';
  const obj = requireObject(json, what);
  if (obj['type'] !== 'DEVICE_LINK_COMPLETION')
    throw schemaFailure(`${what}: "type" must be DEVICE_LINK_COMPLETION`, obj);
  return new DeviceLinkCompletionResponse({
    deviceId: reqString(obj, 'device_id', what),
    devicePublicKey: reqString(obj, 'device_public_key', what),
    devicePublicKeyId: reqString(obj, 'device_public_key_id', what),
  });
}

/**
 * Parses a device (`DirectoryGetDeviceResponseValidator`): `id` string; `name`, `type` present, string or null;
 * `status` integer; `created`, `updated` optional ISO dates (TS addition).
 * @throws InvalidDeviceStatus for an unknown status code
 */
export function parseDevice(json: unknown): Device {
  const what = 'device';
  const obj = requireObject(json, what);
  return new Device({
    id: reqString(obj, 'id', what),
    name: reqNullableString(obj, 'name', what),
    type: reqNullableString(obj, 'type', what),
    status: new DeviceStatus(reqInt(obj, 'status', what)),
    created: optIsoDate(obj, 'created', what),
    updated: optIsoDate(obj, 'updated', what),
  });
}
