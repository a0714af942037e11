/** Entity strings and the hierarchy rule (docs/protocol.md §1.1). */
import { parseUuid } from '../../sdk/wire';
import type { EntityRef, EntityType } from './types';

/** Parses `<svc|dir|org>:<uuid>` (UUID any version and case) into a reference with a lower-case id, or null. */
export function parseEntity(value: unknown): EntityRef | null {
  if (typeof value !== 'string') return null;
  const m = /^(svc|dir|org):(.+)$/.exec(value);
  if (!m) return null;
  const id = parseUuid(m[2]);
  if (id === null || !/^[0-9a-f-]{36}$/.test(id) || m[2]!.length !== 36) return null;
  return { type: m[1] as EntityType, id };
}

/** The entity string `<type>:<id>` of a reference. */
export function entityString(ref: EntityRef): string {
  return `${ref.type}:${ref.id}`;
}
