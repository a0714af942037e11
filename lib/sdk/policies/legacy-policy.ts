/** LegacyPolicy: the old factor policy in the new policy model (docs/protocol.md §A3.4, JSON in §A4.2). */
import { InvalidFenceType } from '../errors';
import { factorFlags, toAmount, toFlag } from './coerce';
import { GeoCircleFence } from './fence';
import {
  factorItem,
  minimumRequirementsJson,
  type FactorName,
  type LegacyFactorJSON,
  type MinimumRequirementJSON,
} from './legacy/legacy-json';
import { TimeFence } from './legacy/time-fence';
import { Policy } from './policy';

/** Options of {@link LegacyPolicy}. */
export interface LegacyPolicyOptions {
  /** Minimum number of factors. Default 0. */
  amount?: number;
  /** Default false. */
  inherenceRequired?: boolean;
  /** Default false. */
  knowledgeRequired?: boolean;
  /** Default false. */
  possessionRequired?: boolean;
  /** Default false. */
  denyRootedJailbroken?: boolean;
  /** Only GeoCircleFence items. Default [] (Python fails when omitted). */
  fences?: readonly GeoCircleFence[] | null;
  /** Default []. */
  timeRestrictions?: readonly TimeFence[] | null;
}

/** JSON of a {@link LegacyPolicy}: the API's legacy form, as the Java and .NET SDKs send it (§A4.2). */
export interface LegacyServicePolicyJSON {
  type: 'LEGACY';
  minimum_requirements: MinimumRequirementJSON[];
  factors: LegacyFactorJSON[];
}

/** The legacy factor policy (amount or factor flags, circle geofences, time restrictions, device integrity). */
export class LegacyPolicy extends Policy {
  declare readonly fences: readonly GeoCircleFence[];
  readonly amount: number;
  // Set in the constructor by Object.assign from factorFlags (coerce.ts).
  readonly inherenceRequired!: boolean;
  readonly knowledgeRequired!: boolean;
  readonly possessionRequired!: boolean;
  readonly denyRootedJailbroken: boolean;
  readonly timeRestrictions: readonly TimeFence[];
  /**
   * @throws InvalidFenceType when a fence is not a GeoCircleFence or a time restriction is not a TimeFence
   * @throws InvalidParameters when `amount` is not a non-negative integer or a flag is not boolean
   */
  constructor(options: LegacyPolicyOptions = {}) {
    super(options.fences);
    for (const fence of this.fences) {
      if (!(fence instanceof GeoCircleFence))
        throw new InvalidFenceType('LegacyPolicy fences must be GeoCircleFence objects');
    }
    const restrictions = options.timeRestrictions ?? [];
    for (const t of restrictions) {
      if (!(t instanceof TimeFence))
        throw new InvalidFenceType('LegacyPolicy timeRestrictions must be TimeFence objects');
    }
    this.timeRestrictions = Object.freeze([...restrictions]);
    this.amount = toAmount(options.amount ?? 0, 'amount');
    Object.assign(this, factorFlags(options));
    this.denyRootedJailbroken = toFlag(options.denyRootedJailbroken ?? false, 'denyRootedJailbroken');
  }
  /**
   * The API's legacy form (§A4.2): `minimum_requirements` only when a factor is required or `amount > 0`; factors in
   * the order device integrity (only when `denyRootedJailbroken`), geofence (only with fences; `name` only when
   * set), timefence (only with time restrictions).
   */
  override toJSON(): LegacyServicePolicyJSON {
    const required: FactorName[] = [];
    if (this.knowledgeRequired) required.push('knowledge');
    if (this.inherenceRequired) required.push('inherence');
    if (this.possessionRequired) required.push('possession');
    const factors: LegacyFactorJSON[] = [];
    if (this.denyRootedJailbroken) factors.push(factorItem('device integrity', { 'factor enabled': 1 }));
    if (this.fences.length > 0) {
      factors.push(
        factorItem('geofence', {
          locations: this.fences.map((f) => ({
            radius: f.radius,
            latitude: f.latitude,
            longitude: f.longitude,
            ...(f.name === null ? {} : { name: f.name }),
          })),
        }),
      );
    }
    if (this.timeRestrictions.length > 0)
      factors.push(factorItem('timefence', { 'time fences': this.timeRestrictions.map((t) => t.toJSON()) }));
    return { type: 'LEGACY', minimum_requirements: minimumRequirementsJson(required, this.amount), factors };
  }
}
