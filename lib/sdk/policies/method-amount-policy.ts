/** MethodAmountPolicy: require a number of authentication methods (docs/protocol.md §A3.4, JSON in §A4.3). */
import { denyFlags, denyFlagsJson, toAmount } from './coerce';
import type { Fence, FenceJSON } from './fence';
import { Policy } from './policy';

/** Options of {@link MethodAmountPolicy}. */
export interface MethodAmountPolicyOptions {
  /** Number of methods to require. Default 0. */
  amount?: number;
  /** Deny rooted/jailbroken devices; null leaves the key out of the JSON. Default false. */
  denyRootedJailbroken?: boolean | null;
  /** Deny emulators/simulators; null leaves the key out of the JSON. Default false. */
  denyEmulatorSimulator?: boolean | null;
  /** Default []. */
  fences?: readonly Fence[] | null;
}

/** JSON of a {@link MethodAmountPolicy}. */
export interface MethodAmountPolicyJSON {
  type: 'METHOD_AMOUNT';
  fences: FenceJSON[];
  amount: number;
  deny_rooted_jailbroken?: boolean;
  deny_emulator_simulator?: boolean;
}

/** A policy that requires `amount` authentication methods of any kind. */
export class MethodAmountPolicy extends Policy {
  readonly amount: number;
  // Set in the constructor by Object.assign from denyFlags (coerce.ts).
  readonly denyRootedJailbroken!: boolean | null;
  readonly denyEmulatorSimulator!: boolean | null;
  /**
   * @throws InvalidFenceType when a fence is not a Fence
   * @throws InvalidParameters when `amount` is not a non-negative integer or a flag is not boolean/null
   */
  constructor(options: MethodAmountPolicyOptions = {}) {
    super(options.fences);
    this.amount = toAmount(options.amount ?? 0, 'amount');
    Object.assign(this, denyFlags(options));
  }
  /** JSON of §A4.3; each `deny_*` key is left out when null. */
  override toJSON(): MethodAmountPolicyJSON {
    const fences = this.fences.map((f) => f.toJSON());
    return { type: 'METHOD_AMOUNT', fences, amount: this.amount, ...denyFlagsJson(this) };
  }
}
