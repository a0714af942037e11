/** FactorsPolicy: require specific authentication factor types (docs/protocol.md §A3.4, JSON in §A4.3). */
import { toFlag } from './coerce';
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
  readonly inherenceRequired: boolean;
  readonly knowledgeRequired: boolean;
  readonly possessionRequired: boolean;
  readonly denyRootedJailbroken: boolean | null;
  readonly denyEmulatorSimulator: boolean | null;
  /**
   * @throws InvalidFenceType when a fence is not a Fence
   * @throws InvalidParameters when a flag is not a boolean (deny flags: boolean or null)
   */
  constructor(options: FactorsPolicyOptions = {}) {
    super(options.fences);
    this.inherenceRequired = toFlag(options.inherenceRequired ?? false, 'inherenceRequired');
    this.knowledgeRequired = toFlag(options.knowledgeRequired ?? false, 'knowledgeRequired');
    this.possessionRequired = toFlag(options.possessionRequired ?? false, 'possessionRequired');
    this.denyRootedJailbroken = toFlag(options.denyRootedJailbroken === undefined ? false : options.denyRootedJailbroken, 'denyRootedJailbroken', true);
    this.denyEmulatorSimulator = toFlag(options.denyEmulatorSimulator === undefined ? false : options.denyEmulatorSimulator, 'denyEmulatorSimulator', true);
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
    const json: FactorsPolicyJSON = { type: 'FACTORS', fences: this.fences.map((f) => f.toJSON()), factors: this.factors };
    if (this.denyRootedJailbroken !== null) json.deny_rooted_jailbroken = this.denyRootedJailbroken;
    if (this.denyEmulatorSimulator !== null) json.deny_emulator_simulator = this.denyEmulatorSimulator;
    return json;
  }
}
