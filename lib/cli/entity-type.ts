/** The three entity types a credential can belong to. */

/** ENTITY_TYPE, lower case. */
export type EntityType = 'service' | 'directory' | 'organization';

/** The entity types, in help order. */
export const ENTITY_TYPES: readonly EntityType[] = ['service', 'directory', 'organization'];

/** Reads ENTITY_TYPE case-insensitively (`Service`, `DIRECTORY`, ...); null when it is none of the three. */
export function parseEntityType(raw: string): EntityType | null {
  const lower = raw.toLowerCase();
  return (ENTITY_TYPES as readonly string[]).includes(lower) ? (lower as EntityType) : null;
}
