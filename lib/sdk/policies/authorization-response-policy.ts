/** The policy a device reports back in an authorization response (docs/protocol.md §A3.4, §A4.3, §A4.5). */
import { InvalidPolicyAttributes } from '../errors';
import { factorFlags, toAmount } from './coerce';
import type { Fence, FenceJSON } from './fence';
import { Policy } from './policy';
import { Requirement } from './requirement';

/** Options of {@link AuthorizationResponsePolicy}. */
export interface AuthorizationResponsePolicyOptions {
  /** Default `Requirement.OTHER` (null also gives `OTHER`). */
  requirement?: Requirement | null;
  /** Default 0. */
  amount?: number;
  /** Default []. */
  fences?: readonly Fence[] | null;
  /** Default false. */
  inherenceRequired?: boolean;
  /** Default false. */
  knowledgeRequired?: boolean;
  /** Default false. */
  possessionRequired?: boolean;
}

/** SDK-side JSON of an {@link AuthorizationResponsePolicy} (never sent to the API). */
export interface AuthorizationResponsePolicyJSON {
  requirement: Requirement;
  fences: FenceJSON[];
  amount: number;
  inherence_required: boolean;
  knowledge_required: boolean;
  possession_required: boolean;
}

/** Policy the device evaluated for an authorization request (`AdvancedAuthorizationResponse.policy`). */
export class AuthorizationResponsePolicy extends Policy {
  readonly requirement: Requirement;
  readonly amount: number;
  // Set in the constructor by Object.assign from factorFlags (coerce.ts).
  readonly inherenceRequired!: boolean;
  readonly knowledgeRequired!: boolean;
  readonly possessionRequired!: boolean;
  /**
   * @throws InvalidPolicyAttributes when `requirement` is not a {@link Requirement}
   * @throws InvalidFenceType when a fence is not a Fence
   * @throws InvalidParameters when `amount` is not a non-negative integer or a flag is not boolean
   */
  constructor(options: AuthorizationResponsePolicyOptions = {}) {
    super(options.fences);
    const requirement = options.requirement ?? Requirement.OTHER;
    if (!(Object.values(Requirement) as unknown[]).includes(requirement)) {
      throw new InvalidPolicyAttributes(`requirement must be a Requirement, got ${JSON.stringify(requirement)}`);
    }
    this.requirement = requirement;
    this.amount = toAmount(options.amount ?? 0, 'amount');
    Object.assign(this, factorFlags(options));
  }
  override toJSON(): AuthorizationResponsePolicyJSON {
    return {
      requirement: this.requirement,
      fences: this.fences.map((f) => f.toJSON()),
      amount: this.amount,
      inherence_required: this.inherenceRequired,
      knowledge_required: this.knowledgeRequired,
      possession_required: this.possessionRequired,
    };
  }
}
