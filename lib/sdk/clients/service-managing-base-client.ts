/**
 * ServiceManagingBaseClient: the service, service-key and service-policy calls shared by the Organization and
 * Directory clients (docs/protocol.md §A2.2).
 */
import { InvalidParameters } from '../errors';
import { isJsonObject } from '../entities/schema';
import { parsePublicKey, type PublicKey } from '../entities/shared';
import { parseService, type Service } from '../entities/service-entity';
import {
  ConditionalGeoFencePolicy,
  FactorsPolicy,
  LegacyPolicy,
  MethodAmountPolicy,
  ServiceSecurityPolicy,
  parseServicePolicy,
} from '../policies';
import type { Transport } from '../transport/types';
import { emitDeprecation, emitWarningOnce } from '../utils';
import { BaseClient, type SubjectType } from './base-client';
import {
  addKeyOptionsBody,
  providedFields,
  updateKeyOptionsBody,
  type AddPublicKeyOptions,
  type KeyOwner,
  type UpdatePublicKeyOptions,
} from './management-bodies';

export type { AddPublicKeyOptions, UpdatePublicKeyOptions } from './management-bodies';

/** A service policy as `getAdvancedServicePolicy` returns it. */
export type AdvancedServicePolicy = ConditionalGeoFencePolicy | MethodAmountPolicy | FactorsPolicy | LegacyPolicy;

/** A policy `setAdvancedServicePolicy` accepts. */
export type SettableServicePolicy = AdvancedServicePolicy | ServiceSecurityPolicy;

/** Options of {@link ServiceManagingBaseClient.createService}. Omitted strings are sent as `null`. */
export interface CreateServiceOptions {
  /** Free text description (default `null`). */
  description?: string | null;
  /** URL of the service icon (default `null`). */
  icon?: string | null;
  /** URL that receives the service's webhooks (default `null`). */
  callbackUrl?: string | null;
  /** Whether the service is active (default `true`). */
  active?: boolean;
}

/** Options of {@link ServiceManagingBaseClient.updateService}: only provided keys are sent; `null` clears. */
export interface UpdateServiceOptions {
  name?: string | null;
  description?: string | null;
  icon?: string | null;
  callbackUrl?: string | null;
  active?: boolean;
}

/** Wire names of the {@link UpdateServiceOptions} keys. */
const SERVICE_UPDATE_FIELDS = {
  name: 'name',
  description: 'description',
  icon: 'icon',
  callbackUrl: 'callback_url',
  active: 'active',
} as const;

/**
 * Base of {@link OrganizationClient} and {@link DirectoryClient}: manages the services the subject owns, their
 * public keys and their policies. `{services}` is `<base>/services`, `{service}` is `<base>/service`.
 */
export abstract class ServiceManagingBaseClient extends BaseClient {
  /** `{services}`: e.g. `/organization/v3/services`. */
  protected readonly servicesPath: string;
  /** `{service}`: e.g. `/organization/v3/service`. */
  protected readonly servicePath: string;

  /**
   * @param subjectType `org` or `dir`
   * @param subjectId entity id (UUID, else `InvalidEntityID`)
   * @param transport the factory's transport
   * @param servicesPath `{services}`, e.g. `/organization/v3/services`
   */
  protected constructor(subjectType: SubjectType, subjectId: string, transport: Transport, servicesPath: string) {
    super(subjectType, subjectId, transport);
    this.servicesPath = servicesPath;
    this.servicePath = servicesPath.slice(0, -1);
  }

  /**
   * Creates a service owned by the subject. All five keys are sent (missing strings as `null`, `active` true).
   * @returns the new service id
   * @throws InvalidParameters (ARG-001), ServiceNameTaken (SVC-001)
   */
  async createService(name: string, options: CreateServiceOptions = {}): Promise<string> {
    const response = await this.transport.post(this.servicesPath, this.subject, {
      name,
      description: options.description ?? null,
      icon: options.icon ?? null,
      callback_url: options.callbackUrl ?? null,
      active: options.active ?? true,
    });
    return this.readString(response.data, 'id', response.statusCode);
  }

  /** Every service the subject owns. */
  async getAllServices(): Promise<Service[]> {
    const response = await this.transport.get(this.servicesPath, this.subject);
    return this.readList(response.data, parseService, 'services', response.statusCode);
  }

  /**
   * The services with the given ids (the whole call fails when one is unknown or foreign).
   * @throws InvalidParameters, Forbidden (unknown or foreign id)
   */
  async getServices(serviceIds: string[]): Promise<Service[]> {
    return this.postForList(
      `${this.servicesPath}/list`,
      { service_ids: serviceIds.map(String) },
      parseService,
      'services',
    );
  }

  /**
   * One service.
   * @throws InvalidParameters, Forbidden (unknown or foreign id), UnexpectedAPIResponse (empty answer)
   */
  async getService(serviceId: string): Promise<Service> {
    return this.onlyItem(await this.getServices([serviceId]), 'service', serviceId);
  }

  /**
   * Updates a service: only the provided options are sent; `null` clears a string field.
   * @throws InvalidParameters, ServiceNameTaken, ServiceNotFound, Forbidden (unknown service)
   */
  async updateService(serviceId: string, options: UpdateServiceOptions): Promise<void> {
    const body = { service_id: serviceId, ...providedFields(options, SERVICE_UPDATE_FIELDS) };
    await this.transport.patch(this.servicesPath, this.subject, body);
  }

  /**
   * Registers a public key for a service.
   * @returns the key id (MD5 fingerprint, colon-separated hex)
   * @throws InvalidParameters (also for an unknown key type), InvalidPublicKey, PublicKeyAlreadyInUse, Forbidden
   */
  async addServicePublicKey(serviceId: string, publicKey: string, options?: AddPublicKeyOptions): Promise<string> {
    return this.addKey(`${this.servicePath}/keys`, { service_id: serviceId }, publicKey, options);
  }

  /**
   * The public keys of a service.
   * @throws InvalidParameters, ServiceNotFound, Forbidden
   */
  async getServicePublicKeys(serviceId: string): Promise<PublicKey[]> {
    return this.listKeys(`${this.servicePath}/keys`, { service_id: serviceId });
  }

  /**
   * Removes a public key of a service.
   * @throws InvalidParameters, PublicKeyDoesNotExist (KEY-003), LastRemainingKey (KEY-004), Forbidden
   */
  async removeServicePublicKey(serviceId: string, keyId: string): Promise<void> {
    await this.removeKey(`${this.servicePath}/keys`, { service_id: serviceId }, keyId);
  }

  /**
   * Updates a public key of a service: `active` and/or `expires` when provided (`expires: null` removes it).
   * @throws InvalidParameters, PublicKeyDoesNotExist, Forbidden
   */
  async updateServicePublicKey(serviceId: string, keyId: string, options?: UpdatePublicKeyOptions): Promise<void> {
    await this.updateKey(`${this.servicePath}/keys`, { service_id: serviceId }, keyId, options);
  }

  /**
   * The service policy as objects (docs/protocol.md §A4.4).
   * @throws ServiceNotFound (SVC-004), InvalidParameters, UnknownPolicyException, InvalidFenceType,
   *   InvalidPolicyFormat, UnexpectedAPIResponse
   */
  async getAdvancedServicePolicy(serviceId: string): Promise<AdvancedServicePolicy> {
    const response = await this.transport.post(`${this.servicePath}/policy/item`, this.subject, {
      service_id: serviceId,
    });
    return parseServicePolicy(response.data);
  }

  /**
   * Sets the service policy (body `policy` = `policy.toJSON()`).
   * @throws InvalidParameters (also when `policy` is not one of the accepted classes), ServiceNotFound,
   *   InvalidPolicyInput (SVC-002)
   */
  async setAdvancedServicePolicy(serviceId: string, policy: SettableServicePolicy): Promise<void> {
    const accepted =
      policy instanceof ConditionalGeoFencePolicy ||
      policy instanceof MethodAmountPolicy ||
      policy instanceof FactorsPolicy ||
      policy instanceof LegacyPolicy ||
      policy instanceof ServiceSecurityPolicy;
    if (!accepted) {
      throw new InvalidParameters(
        'policy must be a ConditionalGeoFencePolicy, MethodAmountPolicy, FactorsPolicy, LegacyPolicy or ' +
          'ServiceSecurityPolicy',
      );
    }
    await this.transport.put(`${this.servicePath}/policy`, this.subject, {
      service_id: serviceId,
      policy: policy.toJSON(),
    });
  }

  /**
   * Resets the service policy to the default (empty LEGACY) policy.
   * @throws ServiceNotFound, InvalidParameters
   */
  async removeServicePolicy(serviceId: string): Promise<void> {
    await this.transport.delete(`${this.servicePath}/policy`, this.subject, { service_id: serviceId });
  }

  /**
   * Deprecated: use {@link getAdvancedServicePolicy}. The policy as a `ServiceSecurityPolicy`, or `null` (with a
   * warning) when the service's policy is not a LEGACY one.
   * @throws the errors of getAdvancedServicePolicy; InvalidParameters for an unnamed geofence
   */
  async getServicePolicy(serviceId: string): Promise<ServiceSecurityPolicy | null> {
    emitDeprecation(
      'getServicePolicy is deprecated and will be removed in the next major version; use getAdvancedServicePolicy',
    );
    const policy = await this.getAdvancedServicePolicy(serviceId);
    if (!(policy instanceof LegacyPolicy)) {
      emitWarningOnce('Policy received was not a legacy policy and cannot be converted into a ServiceSecurityPolicy.');
      return null;
    }
    return legacyToServiceSecurityPolicy(policy);
  }

  /** Deprecated: use {@link setAdvancedServicePolicy}. Sets a `ServiceSecurityPolicy`. */
  async setServicePolicy(serviceId: string, policy: ServiceSecurityPolicy): Promise<void> {
    emitDeprecation(
      'setServicePolicy is deprecated and will be removed in the next major version; use setAdvancedServicePolicy',
    );
    await this.setAdvancedServicePolicy(serviceId, policy);
  }

  /** Reads a required string key of a creation answer; missing: `UnexpectedAPIResponse`. */
  protected readString(data: unknown, key: string, statusCode: number): string {
    const value = isJsonObject(data) ? data[key] : undefined;
    if (typeof value !== 'string' || value === '')
      this.unexpected(`The API answer lacks the string "${key}"`, data, statusCode);
    return value;
  }

  /** Validates that the answer is an array and parses every item; otherwise `UnexpectedAPIResponse`. */
  protected readList<T>(data: unknown, parse: (item: unknown) => T, what: string, statusCode: number): T[] {
    if (!Array.isArray(data)) this.unexpected(`The API answer is not an array of ${what}`, data, statusCode);
    return data.map((item) => parse(item));
  }

  /** POSTs `body` to `path` and reads the answer as a list of `what` with {@link readList}. */
  protected async postForList<T>(
    path: string,
    body: Record<string, unknown>,
    parse: (item: unknown) => T,
    what: string,
  ): Promise<T[]> {
    const response = await this.transport.post(path, this.subject, body);
    return this.readList(response.data, parse, what, response.statusCode);
  }

  /** The one item a by-id list call gave for `id`; none: `UnexpectedAPIResponse`. */
  protected onlyItem<T>(items: T[], what: string, id: string): T {
    const first = items[0];
    if (first === undefined) this.unexpected(`The API returned no ${what} for id ${id}`, []);
    return first;
  }

  /**
   * `POST <keysPath>`: registers `publicKey` for the key owner named by `owner` (e.g. `{ service_id }`).
   * @returns the key id the API gave
   */
  protected async addKey(
    keysPath: string,
    owner: KeyOwner,
    publicKey: string,
    options?: AddPublicKeyOptions,
  ): Promise<string> {
    const body = { ...owner, public_key: publicKey, ...addKeyOptionsBody(options) };
    const response = await this.transport.post(keysPath, this.subject, body);
    return this.readString(response.data, 'key_id', response.statusCode);
  }

  /** `POST <keysPath>/list`: the public keys of the key owner named by `owner`. */
  protected listKeys(keysPath: string, owner: KeyOwner): Promise<PublicKey[]> {
    return this.postForList(`${keysPath}/list`, owner, parsePublicKey, 'public keys');
  }

  /** `PATCH <keysPath>`: sends the provided `active` / `expires` of key `keyId` of the owner named by `owner`. */
  protected async updateKey(
    keysPath: string,
    owner: KeyOwner,
    keyId: string,
    options?: UpdatePublicKeyOptions,
  ): Promise<void> {
    await this.transport.patch(keysPath, this.subject, { ...owner, key_id: keyId, ...updateKeyOptionsBody(options) });
  }

  /** `DELETE <keysPath>`: removes key `keyId` of the key owner named by `owner`. */
  protected async removeKey(keysPath: string, owner: KeyOwner, keyId: string): Promise<void> {
    await this.transport.delete(keysPath, this.subject, { ...owner, key_id: keyId });
  }
}

/**
 * Converts a LegacyPolicy into the deprecated ServiceSecurityPolicy (Python `get_service_policy`).
 *
 * The amount and the factor flags are set through `setMinimumRequirements`, not the constructor: the constructor
 * refuses `any` together with specific factors (a rule for policies the caller builds), but a stored LEGACY policy
 * may hold both (e.g. one set as `new LegacyPolicy({ amount: 2, knowledgeRequired: true })`). Reading it must not
 * fail with InvalidParameters, and the result keeps both so `setServicePolicy` writes back the same policy.
 */
function legacyToServiceSecurityPolicy(policy: LegacyPolicy): ServiceSecurityPolicy {
  const result = new ServiceSecurityPolicy({ jailbreakProtection: policy.denyRootedJailbroken === true });
  result.setMinimumRequirements({
    knowledge: policy.knowledgeRequired,
    inherence: policy.inherenceRequired,
    possession: policy.possessionRequired,
    minimumAmount: policy.amount,
  });
  for (const fence of policy.fences) {
    if (fence.name === null || fence.name === undefined || fence.name === '') {
      throw new InvalidParameters(
        'A geofence of the legacy policy has no name; ServiceSecurityPolicy needs named geofences',
      );
    }
    result.addGeofence(fence.latitude, fence.longitude, fence.radius, fence.name);
  }
  for (const timeFence of policy.timeRestrictions) {
    const { monday, tuesday, wednesday, thursday, friday, saturday, sunday } = timeFence;
    result.addTimefence(timeFence.name, timeFence.startTime, timeFence.endTime, {
      monday,
      tuesday,
      wednesday,
      thursday,
      friday,
      saturday,
      sunday,
    });
  }
  return result;
}
