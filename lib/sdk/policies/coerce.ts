/** Argument coercion shared by the policy classes, and the JSON of their optional deny flags (internal). */
import { InvalidParameters } from '../errors';

/**
 * Coerces a number or a numeric string to a finite float, like Python's `float()`; anything else throws
 * {@link InvalidParameters} (Python raises a bare value error; docs/protocol.md §A8).
 */
export function toFloat(value: unknown, what: string): number {
  let n = Number.NaN;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && value.trim() !== '') n = Number(value);
  if (!Number.isFinite(n))
    throw new InvalidParameters(`${what} must be a number, got ${JSON.stringify(value) ?? String(value)}`);
  return n;
}

/** Requires a non-negative integer (policy amounts); anything else throws {@link InvalidParameters}. */
export function toAmount(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new InvalidParameters(
      `${what} must be a non-negative integer, got ${JSON.stringify(value) ?? String(value)}`,
    );
  }
  return value;
}

/** Requires a boolean, or null when `nullable`; anything else throws {@link InvalidParameters}. */
export function toFlag(value: unknown, what: string, nullable: true): boolean | null;
export function toFlag(value: unknown, what: string, nullable?: false): boolean;
export function toFlag(value: unknown, what: string, nullable = false): boolean | null {
  if (typeof value === 'boolean') return value;
  if (nullable && value === null) return null;
  throw new InvalidParameters(
    `${what} must be a boolean${nullable ? ' or null' : ''}, got ${JSON.stringify(value) ?? String(value)}`,
  );
}

/** The factor flags of a policy, as given (optional) and as kept (booleans). */
type FactorFlags<T> = { inherenceRequired: T; knowledgeRequired: T; possessionRequired: T };

/**
 * The factor flags of policy options, each a boolean (omitted: `false`).
 * @throws InvalidParameters when a given one is not a boolean
 */
export function factorFlags(options: Partial<FactorFlags<boolean>>): FactorFlags<boolean> {
  return {
    inherenceRequired: toFlag(options.inherenceRequired ?? false, 'inherenceRequired'),
    knowledgeRequired: toFlag(options.knowledgeRequired ?? false, 'knowledgeRequired'),
    possessionRequired: toFlag(options.possessionRequired ?? false, 'possessionRequired'),
  };
}

/** The deny (device integrity) flags of a policy of the new model; `null` leaves the key out of the JSON. */
type DenyFlags = { denyRootedJailbroken: boolean | null; denyEmulatorSimulator: boolean | null };

/**
 * The deny flags of policy options, each a boolean or `null` (omitted: `false`).
 * @throws InvalidParameters when a given one is neither a boolean nor null
 */
export function denyFlags(options: Partial<DenyFlags>): DenyFlags {
  const { denyRootedJailbroken = false, denyEmulatorSimulator = false } = options;
  return {
    denyRootedJailbroken: toFlag(denyRootedJailbroken, 'denyRootedJailbroken', true),
    denyEmulatorSimulator: toFlag(denyEmulatorSimulator, 'denyEmulatorSimulator', true),
  };
}

/** The JSON keys of set deny flags. */
type DenyFlagsJSON = { deny_rooted_jailbroken?: boolean; deny_emulator_simulator?: boolean };

/** The JSON keys of the deny flags that are not `null`: `deny_rooted_jailbroken`, then `deny_emulator_simulator`. */
export function denyFlagsJson(flags: DenyFlags): DenyFlagsJSON {
  return {
    ...(flags.denyRootedJailbroken === null ? {} : { deny_rooted_jailbroken: flags.denyRootedJailbroken }),
    ...(flags.denyEmulatorSimulator === null ? {} : { deny_emulator_simulator: flags.denyEmulatorSimulator }),
  };
}
