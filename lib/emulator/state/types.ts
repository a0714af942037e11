/**
 * The persisted state of the emulator (`DIR/state.json`). Plain JSON-serialisable records; dates are ISO strings
 * (`YYYY-MM-DDTHH:MM:SSZ`) unless a field says epoch seconds. Route handlers (including the management routes)
 * read and mutate these records through `EmulatorState.data`; the server persists after every non-GET call.
 */

/** Entity types of the hierarchy (docs/protocol.md §1.1). */
export type EntityType = 'org' | 'dir' | 'svc';

/** A parsed entity string `<type>:<uuid>`. */
export interface EntityRef {
  type: EntityType;
  id: string;
}

/** Key types of registered entity keys: 0 BOTH, 1 ENCRYPTION, 2 SIGNATURE (docs/protocol.md §3.1). */
export type KeyType = 0 | 1 | 2;

/** A public key registered for an organization, directory or service. */
export interface KeyRecord {
  /** Key id (docs/protocol.md §3.2). */
  id: string;
  /** The PEM exactly as submitted (returned verbatim by key listings). */
  publicKey: string;
  keyType: KeyType;
  active: boolean;
  /** ISO date the key was added. */
  dateCreated: string;
  /** ISO expiry date, or null for none. */
  dateExpires: string | null;
}

/** The organization. */
export interface OrganizationRecord {
  id: string;
  name: string;
  keys: KeyRecord[];
}

/** A directory of the organization (field names follow the wire object of docs/protocol.md §10.3). */
export interface DirectoryRecord {
  id: string;
  organizationId: string;
  name: string;
  active: boolean;
  keys: KeyRecord[];
  /** Ids of the services created through the directory's own service endpoints. */
  serviceIds: string[];
  sdkKeys: string[];
  premium: boolean;
  androidKey: string | null;
  iosCertificateFingerprint: string | null;
  denialContextInquiryEnabled: boolean;
  /** Where device link completion webhooks go; null = none. */
  webhookUrl: string | null;
}

/** A service, owned by the organization or by one directory. */
export interface ServiceRecord {
  id: string;
  /** The owner: `{type: 'org', id}` for an organization service, `{type: 'dir', id}` for a directory service. */
  owner: { type: 'org' | 'dir'; id: string };
  name: string;
  description: string | null;
  icon: string | null;
  /** Where authorization response and session end webhooks go; null = none (clients poll). */
  callbackUrl: string | null;
  active: boolean;
  keys: KeyRecord[];
  /**
   * The service policy JSON as stored by `PUT .../service/policy` (already normalised by the management routes),
   * or null for the default blank LEGACY policy. The authorization response echoes it (docs/protocol.md §B12.5).
   */
  policy: Record<string, unknown> | null;
}

/** Device status: 0 LINK_PENDING, 1 LINKED, 2 UNLINK_PENDING. */
export type DeviceStatus = 0 | 1 | 2;

/** A device of a directory user. */
export interface DeviceRecord {
  id: string;
  name: string;
  type: string;
  status: DeviceStatus;
  created: string;
  updated: string;
  /** Pending link code (status 0), or null once linked. */
  linkCode: string | null;
  /** Epoch seconds when the pending link code expires, or null. */
  linkExpiresAt: number | null;
  /** Entity string of the credential that called `POST /directory/v3/devices` (the link webhook's `aud`). */
  linkIssuer: string | null;
  /** Id of the key that signed that call (the link webhook is encrypted for it, docs/protocol.md §3.4). */
  linkSigningKeyId: string | null;
  /** The device's public key PEM (generated when the link completes), or null. */
  publicKey: string | null;
}

/** A service session of a user (`POST /service/v3/sessions`). */
export interface SessionRecord {
  serviceId: string;
  authRequest: string | null;
  created: string;
  /**
   * Entity string of the credential that started the session (the session end webhook's `aud`,
   * docs/protocol.md §13 OP-17).
   */
  issuer: string;
}

/** TOTP configuration of a user. */
export interface TotpRecord {
  /** Base32 secret (32 characters). */
  secret: string;
  algorithm: 'SHA1' | 'SHA256' | 'SHA512';
  digits: number;
  period: number;
}

/** A directory user (created by `POST /directory/v3/devices` or `POST /directory/v3/totp`). */
export interface UserRecord {
  identifier: string;
  directoryId: string;
  /** Opaque push id (UUID) of the user. */
  pushId: string;
  created: string;
  devices: DeviceRecord[];
  totp: TotpRecord | null;
  sessions: SessionRecord[];
}

/** A denial reason offered to the user (`denial_reasons` of `POST /service/v3/auths`). */
export interface DenialReason {
  id: string;
  reason: string;
  fraud: boolean;
}

/** The answer of the simulated device to an authorization request. */
export interface AuthAnswer {
  type: 'AUTHORIZED' | 'DENIED' | 'FAILED';
  reason: string;
  denialReason: string | null;
  deviceId: string;
  /** The authorization response package (docs/protocol.md §11.5), fields as on the wire, device packages encrypted. */
  package: Record<string, string>;
  answeredAt: string;
}

/** An authorization request (`POST /service/v3/auths`). */
export interface AuthRequestRecord {
  id: string;
  serviceId: string;
  directoryId: string;
  username: string;
  /** Entity string of the credential that signed `POST auths` (webhook `aud`, encryption target). */
  issuer: string;
  /** Id of the key that signed `POST auths`. */
  signingKeyId: string;
  title: string | null;
  context: string | null;
  pushTitle: string | null;
  pushBody: string | null;
  ttl: number;
  created: string;
  /** Epoch seconds (emulator clock) after which the request is expired. */
  expiresAt: number;
  /** The legacy policy of the request, or null. */
  policy: Record<string, unknown> | null;
  denialReasons: DenialReason[];
  deviceIds: string[];
  canceled: boolean;
  answer: AuthAnswer | null;
}

/** A key pair of the emulator itself (the API keys, docs/protocol.md §3.1). */
export interface ApiKeyRecord {
  id: string;
  /** PKCS#8 PEM of the private key. */
  privateKey: string;
  /** Signing, encryption or both. */
  use: 'sig' | 'enc' | 'both';
  created: string;
  /** Retired keys are still served by id (to verify old signatures) but no longer decrypt. */
  retired: boolean;
}

/** The private keys handed to the developer (written to `credentials.json`). */
export interface Credentials {
  organization: { id: string; privateKey: string; signatureKey: string; encryptionKey: string };
  directory: { id: string; privateKey: string };
  service: { id: string; privateKey: string };
}

/** Everything the emulator persists. */
export interface StateData {
  version: 1;
  organizations: OrganizationRecord[];
  directories: DirectoryRecord[];
  services: ServiceRecord[];
  users: UserRecord[];
  authRequests: AuthRequestRecord[];
  apiKeys: ApiKeyRecord[];
  /** Id of the API key that signs responses and webhooks. */
  signingKeyId: string;
  /** Id of the current API encryption key (`GET /public/v3/public-key`). */
  encryptionKeyId: string;
  credentials: Credentials;
}
