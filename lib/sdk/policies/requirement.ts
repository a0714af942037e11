/** Requirement reported in an authorization response policy (docs/protocol.md §A3.3; wire lower case, upper-cased). */
export enum Requirement {
  AMOUNT = 'AMOUNT',
  TYPES = 'TYPES',
  COND_GEO = 'COND_GEO',
  /** Null or a value not known to this SDK. */
  OTHER = 'OTHER',
}

/** Maps a wire requirement (any case) to {@link Requirement}; null, empty or unknown gives `OTHER`. */
export function requirementFromWire(value: string | null): Requirement {
  if (!value) return Requirement.OTHER;
  const upper = value.toUpperCase();
  return (Object.values(Requirement) as string[]).includes(upper) ? (upper as Requirement) : Requirement.OTHER;
}
