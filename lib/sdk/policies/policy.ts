/** Base of the new policy model (docs/protocol.md §A3.4; Python `entities.service.policy.Policy`). */
import { isDeepStrictEqual } from 'node:util';
import { InvalidFenceType } from '../errors';
import { Fence } from './fence';

/** Checks that every item is a {@link Fence} and returns a frozen copy; null/undefined gives `[]`. */
export function checkFences(fences: readonly unknown[] | null | undefined): readonly Fence[] {
  const list = fences ?? [];
  if (!Array.isArray(list)) throw new InvalidFenceType('fences must be a list of Fence objects');
  for (const fence of list) {
    if (!(fence instanceof Fence)) {
      throw new InvalidFenceType(
        'Invalid Fence object. Fence must be one of the following: ["GeoCircleFence", "TerritoryFence"]',
      );
    }
  }
  return Object.freeze([...list] as Fence[]);
}

/** Base of every policy of the new model: holds `fences` (every item a {@link Fence}; default `[]`). */
export abstract class Policy {
  /** The fences of the policy (read-only copy). */
  readonly fences: readonly Fence[];
  /** @throws InvalidFenceType when an item is not a Fence */
  protected constructor(fences: readonly Fence[] | null | undefined) {
    this.fences = checkFences(fences);
  }
  /** The policy's JSON form (docs/protocol.md §A4.3). */
  abstract toJSON(): object;
  /** True when `other` is a policy of the same class with the same JSON form. */
  equals(other: unknown): boolean {
    return (
      other instanceof Policy &&
      other.constructor === this.constructor &&
      isDeepStrictEqual(other.toJSON(), this.toJSON())
    );
  }
}
