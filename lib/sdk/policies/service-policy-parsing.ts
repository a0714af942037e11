/**
 * `policy/item` response to policy objects (docs/protocol.md §A4.4) with the schema checks of §A3.7
 * (`ServiceSecurityPolicyValidator`, `PolicyBaseValidator`, `ConditionalGeoFenceValidator`, `PolicyFenceValidator`).
 */
import { InvalidFenceType, UnknownPolicyException } from '../errors';
import {
  isJsonObject,
  list,
  nullableBool,
  reqInt,
  requireObject,
  schemaFailure,
  type JsonObject,
} from '../entities/schema';
import { ConditionalGeoFencePolicy, type NestedPolicy } from './conditional-geo-fence-policy';
import { FactorsPolicy } from './factors-policy';
import { GeoCircleFence } from './fence';
import { buildPolicyFence, validatePolicyFence } from './fence-parsing';
import { parseLegacyPolicy, readLegacyPolicy } from './legacy/legacy-json';
import { LegacyPolicy } from './legacy-policy';
import { MethodAmountPolicy } from './method-amount-policy';

/** Any policy a service can have. */
export type ServicePolicy = MethodAmountPolicy | FactorsPolicy | ConditionalGeoFencePolicy | LegacyPolicy;

const FACTORS = ['KNOWLEDGE', 'INHERENCE', 'POSSESSION'];

/** A policy object after the schema check. */
interface Checked {
  obj: JsonObject;
  type: string;
  fences: JsonObject[];
  inside?: Checked;
  outside?: Checked;
}

function policyType(obj: JsonObject, what: string, absent: string | null): string | null {
  const t = obj['type'];
  if (t === undefined || t === null || t === '') return absent;
  if (typeof t !== 'string') throw schemaFailure(`${what}: "type" must be a string`, obj);
  return t;
}

/** PolicyBaseValidator: the per-type rules (a nested policy gets no COND_GEO rules: it is rejected later). */
function checkBase(obj: JsonObject, type: string | null, what: string, nested = false): Checked {
  const fences = list(obj, 'fences', what).map(validatePolicyFence);
  if (type === 'METHOD_AMOUNT') {
    if (reqInt(obj, 'amount', what) < 0) throw schemaFailure(`${what}: "amount" must not be negative`, obj);
  } else if (type === 'FACTORS') {
    const factors = obj['factors'];
    if (!Array.isArray(factors) || factors.length === 0)
      throw schemaFailure(`${what}: "factors" must be a non-empty list`, obj);
    for (const f of factors) {
      if (typeof f !== 'string' || !FACTORS.includes(f))
        throw schemaFailure(`${what}: "factors" items must be one of ${FACTORS.join(', ')}`, obj);
    }
  } else if (type === 'COND_GEO' && !nested) {
    const nested = (key: 'inside' | 'outside'): Checked => {
      const value = obj[key];
      if (!isJsonObject(value) || Object.keys(value).length === 0)
        throw schemaFailure(`${what}: "${key}" must be a non-empty object`, obj);
      return checkBase(value, policyType(value, `${what} ${key}`, null), `${what} ${key}`, true);
    };
    const inside = nested('inside');
    const outside = nested('outside');
    if (fences.length === 0) throw schemaFailure(`${what}: a COND_GEO policy needs a non-empty "fences" list`, obj);
    return { obj, type, fences, inside, outside };
  }
  return { obj, type: type ?? '', fences };
}

function buildNested(checked: Checked, which: string): NestedPolicy {
  if (checked.type !== 'METHOD_AMOUNT' && checked.type !== 'FACTORS') {
    throw new UnknownPolicyException(
      `Invalid nested ${which} policy type ${JSON.stringify(checked.type)}: ` +
        `must be one of ["METHOD_AMOUNT", "FACTORS"]`,
    );
  }
  if (checked.fences.length > 0) throw new InvalidFenceType(`Fences are not allowed on the nested ${which} policy`);
  return build(checked, null, null) as NestedPolicy;
}

function build(
  checked: Checked,
  denyRootedJailbroken: boolean | null,
  denyEmulatorSimulator: boolean | null,
): ServicePolicy {
  const fences = checked.fences.map(buildPolicyFence);
  const { obj } = checked;
  switch (checked.type) {
    case 'METHOD_AMOUNT':
      return new MethodAmountPolicy({
        amount: obj['amount'] as number,
        denyRootedJailbroken,
        denyEmulatorSimulator,
        fences,
      });
    case 'FACTORS': {
      const factors = obj['factors'] as string[];
      return new FactorsPolicy({
        inherenceRequired: factors.includes('INHERENCE'),
        knowledgeRequired: factors.includes('KNOWLEDGE'),
        possessionRequired: factors.includes('POSSESSION'),
        denyRootedJailbroken,
        denyEmulatorSimulator,
        fences,
      });
    }
    case 'COND_GEO':
      return new ConditionalGeoFencePolicy(
        buildNested(checked.inside!, 'inside'),
        buildNested(checked.outside!, 'outside'),
        {
          denyRootedJailbroken,
          denyEmulatorSimulator,
          fences,
        },
      );
    default:
      throw new UnknownPolicyException(
        `Unknown policy type ${JSON.stringify(checked.type)}: this SDK knows ` +
          `LEGACY, METHOD_AMOUNT, FACTORS and COND_GEO`,
      );
  }
}

function buildLegacy(obj: JsonObject): LegacyPolicy {
  const parsed = parseLegacyPolicy(readLegacyPolicy(obj), true);
  return new LegacyPolicy({
    amount: parsed.minimumAmount,
    knowledgeRequired: parsed.minimumRequirements.includes('knowledge'),
    inherenceRequired: parsed.minimumRequirements.includes('inherence'),
    possessionRequired: parsed.minimumRequirements.includes('possession'),
    denyRootedJailbroken: parsed.jailbreakProtection,
    fences: parsed.geofences.map((g) => new GeoCircleFence(g.latitude, g.longitude, g.radius, g.name)),
    timeRestrictions: parsed.timefences,
  });
}

/**
 * Parses a service policy (the `policy/item` response) into a policy object (§A4.4). An absent `type` means LEGACY.
 * @throws UnexpectedAPIResponse when the JSON fails the schema of §A3.7
 * @throws UnknownPolicyException for an unknown type, or a nested type other than METHOD_AMOUNT/FACTORS
 * @throws InvalidFenceType for an unknown fence type, or fences on a nested policy
 * @throws InvalidPolicyFormat when a LEGACY policy lacks `minimum_requirements` or `factors` (or they are malformed)
 */
export function parseServicePolicy(json: unknown): ServicePolicy {
  const what = 'service policy';
  const obj = requireObject(json, what);
  const type = policyType(obj, what, 'LEGACY') as string;
  if (type === 'LEGACY') return buildLegacy(obj);
  const denyRooted = nullableBool(obj, 'deny_rooted_jailbroken', what, null);
  const denyEmulator = nullableBool(obj, 'deny_emulator_simulator', what, null);
  return build(checkBase(obj, type, what), denyRooted, denyEmulator);
}
