/** FactorsPolicy: require specific authentication factor types (docs/protocol.md §A3.4, JSON in §A4.3). */
import { denyFlags, denyFlagsJson, factorFlags } from './coerce';
import type { Fence, FenceJSON } from './fence';
import { Policy } from './policy';

/** A factor of the new policy model, as on the wire. */
export type Factor = 'INHERENCE' | 'KNOWLEDGE' | 'POSSESSION';

/** Options of {@link FactorsPolicy}. */
export interface FactorsPolicyOptions {
  /** Deny rooted/jailbroken devices; null leaves the key out of the JSON. Default false. */
  denyRootedJailbroken?: boolean | null;
  /** Deny emulators/simulators; null leaves the key out of the JSON. Default false. */
  denyEmulatorSimulator?: boolean | null;
  /** Require an inherence factor (biometrics). Default false. */
  inherenceRequired?: boolean;
  /** Require a knowledge factor (PIN, circle code). Default false. */
  knowledgeRequired?: boolean;
  /** Require a possession factor (wearables, the device). Default false. */
  possessionRequired?: boolean;
  /** Default []. */
  fences?: readonly Fence[] | null;
}

/** JSON of a {@link FactorsPolicy}. */
export interface FactorsPolicyJSON {
  type: 'FACTORS';
  fences: FenceJSON[];
  factors: Factor[];
  deny_rooted_jailbroken?: boolean;
  deny_emulator_simulator?: boolean;
}

/** A policy that requires the chosen factor types. */
export class FactorsPolicy extends Policy {
  // Set in the constructor by Object.assign from factorFlags and denyFlags (coerce.ts).
  readonly inherenceRequired!: boolean;
  readonly knowledgeRequired!: boolean;
  readonly possessionRequired!: boolean;
  readonly denyRootedJailbroken!: boolean | null;
  readonly denyEmulatorSimulator!: boolean | null;
  /**
   * @throws InvalidFenceType when a fence is not a Fence
   * @throws InvalidParameters when a flag is not a boolean (deny flags: boolean or null)
   */
  constructor(options: FactorsPolicyOptions = {}) {
    super(options.fences);
    Object.assign(this, factorFlags(options), denyFlags(options));
  }
  /** The required factors in the order INHERENCE, KNOWLEDGE, POSSESSION. */
  get factors(): Factor[] {
    const out: Factor[] = [];
    if (this.inherenceRequired) out.push('INHERENCE');
    if (this.knowledgeRequired) out.push('KNOWLEDGE');
    if (this.possessionRequired) out.push('POSSESSION');
    return out;
  }
  /** JSON of §A4.3; each `deny_*` key is left out when null. */
  override toJSON(): FactorsPolicyJSON {
    const fences = this.fences.map((f) => f.toJSON());
    return { type: 'FACTORS', fences, factors: this.factors, ...denyFlagsJson(this) };
  }
}
