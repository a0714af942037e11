/**
 * Barrel of lib/sdk/policies: the new policy model (docs/protocol.md §A3.4) and the deprecated legacy policies (§A3.5).
 * Also exports the parse functions the clients use (docs/protocol.md §A4.4, §A4.5).
 */
export { Fence, GeoCircleFence, TerritoryFence } from './fence';
export type { FenceJSON, GeoCircleFenceJSON, TerritoryFenceJSON, TerritoryFenceOptions } from './fence';
export { Requirement } from './requirement';
export { Policy } from './policy';
export { AuthorizationResponsePolicy } from './authorization-response-policy';
export type {
  AuthorizationResponsePolicyJSON,
  AuthorizationResponsePolicyOptions,
} from './authorization-response-policy';
export { GeoFence } from './legacy/geo-fence';
export { TimeFence } from './legacy/time-fence';
export type { TimeFenceDays, TimeFenceJSON, TimeOfDay } from './legacy/time-fence';
export { AuthPolicy } from './legacy/auth-policy';
export type { AuthPolicyOptions, FactorFlag, MinimumRequirementsOptions } from './legacy/auth-policy';
export { ServiceSecurityPolicy } from './legacy/service-security-policy';
export type {
  GeofenceLocationJSON,
  LegacyFactorJSON,
  LegacyPolicyJSON,
  MinimumRequirementJSON,
} from './legacy/legacy-json';
export { authPolicyFromAuthResponse, parseAuthorizationResponsePolicy } from './auth-response-policy-parsing';
export { MethodAmountPolicy } from './method-amount-policy';
export type { MethodAmountPolicyJSON, MethodAmountPolicyOptions } from './method-amount-policy';
export { FactorsPolicy } from './factors-policy';
export type { Factor, FactorsPolicyJSON, FactorsPolicyOptions } from './factors-policy';
export { ConditionalGeoFencePolicy } from './conditional-geo-fence-policy';
export type {
  ConditionalGeoFencePolicyJSON,
  ConditionalGeoFencePolicyOptions,
  NestedPolicy,
} from './conditional-geo-fence-policy';
export { LegacyPolicy } from './legacy-policy';
export type { LegacyPolicyOptions, LegacyServicePolicyJSON } from './legacy-policy';
export { parseServicePolicy } from './service-policy-parsing';
export type { ServicePolicy } from './service-policy-parsing';
