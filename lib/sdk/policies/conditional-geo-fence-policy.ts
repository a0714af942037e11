/** ConditionalGeoFencePolicy: one policy inside the fences, another outside (docs/protocol.md §A3.4, §A4.3, §A4.6). */
import { InvalidPolicyAttributes } from '../errors';
import { denyFlags } from './coerce';
import { FactorsPolicy, type FactorsPolicyJSON } from './factors-policy';
import type { Fence, FenceJSON } from './fence';
import { MethodAmountPolicy, type MethodAmountPolicyJSON } from './method-amount-policy';
import { Policy } from './policy';

/** The policy types allowed inside or outside a {@link ConditionalGeoFencePolicy}. */
export type NestedPolicy = MethodAmountPolicy | FactorsPolicy;

/** Options of {@link ConditionalGeoFencePolicy}. */
export interface ConditionalGeoFencePolicyOptions {
  /** Default false. */
  denyRootedJailbroken?: boolean | null;
  /** Default false. */
  denyEmulatorSimulator?: boolean | null;
  /** The fences that decide inside or outside. Default []. */
  fences?: readonly Fence[] | null;
}

/** JSON of a {@link ConditionalGeoFencePolicy}. */
export interface ConditionalGeoFencePolicyJSON {
  type: 'COND_GEO';
  fences: FenceJSON[];
  inside: MethodAmountPolicyJSON | FactorsPolicyJSON;
  outside: MethodAmountPolicyJSON | FactorsPolicyJSON;
  deny_rooted_jailbroken: boolean | null;
  deny_emulator_simulator: boolean | null;
}

function checkNested(policy: unknown, which: string): NestedPolicy {
  if (!(policy instanceof MethodAmountPolicy) && !(policy instanceof FactorsPolicy)) {
    throw new InvalidPolicyAttributes(
      `${which}: Inside and Outside policies must be one of the following: ["FACTORS", "METHOD_AMOUNT"]`,
    );
  }
  if (policy.fences.length > 0)
    throw new InvalidPolicyAttributes('Fences are not allowed on Inside or Outside Policy objects');
  if (policy.denyRootedJailbroken)
    throw new InvalidPolicyAttributes(
      'Setting denyRootedJailbroken is not allowed on Inside or Outside Policy objects',
    );
  if (policy.denyEmulatorSimulator)
    throw new InvalidPolicyAttributes(
      'Setting denyEmulatorSimulator is not allowed on Inside or Outside Policy objects',
    );
  // A fresh copy without fences and with both deny flags null (so the nested JSON has no deny keys).
  return policy instanceof MethodAmountPolicy
    ? new MethodAmountPolicy({ amount: policy.amount, denyRootedJailbroken: null, denyEmulatorSimulator: null })
    : new FactorsPolicy({
        inherenceRequired: policy.inherenceRequired,
        knowledgeRequired: policy.knowledgeRequired,
        possessionRequired: policy.possessionRequired,
        denyRootedJailbroken: null,
        denyEmulatorSimulator: null,
      });
}

/** Applies `inside` when the device is inside one of `fences`, `outside` otherwise. */
export class ConditionalGeoFencePolicy extends Policy {
  readonly inside: NestedPolicy;
  readonly outside: NestedPolicy;
  // Set in the constructor by Object.assign from denyFlags (coerce.ts).
  readonly denyRootedJailbroken!: boolean | null;
  readonly denyEmulatorSimulator!: boolean | null;
  /**
   * @param inside MethodAmountPolicy or FactorsPolicy without fences and without deny flags
   * @param outside same rules as `inside`
   * @throws InvalidPolicyAttributes when a nested policy breaks the nesting rules of §A4.6
   * @throws InvalidFenceType when a fence is not a Fence
   */
  constructor(inside: NestedPolicy, outside: NestedPolicy, options: ConditionalGeoFencePolicyOptions = {}) {
    super(options.fences);
    this.inside = checkNested(inside, 'inside');
    this.outside = checkNested(outside, 'outside');
    Object.assign(this, denyFlags(options));
  }
  override toJSON(): ConditionalGeoFencePolicyJSON {
    return {
      type: 'COND_GEO',
      fences: this.fences.map((f) => f.toJSON()),
      inside: this.inside.toJSON(),
      outside: this.outside.toJSON(),
      deny_rooted_jailbroken: this.denyRootedJailbroken,
      deny_emulator_simulator: this.denyEmulatorSimulator,
    };
  }
}
