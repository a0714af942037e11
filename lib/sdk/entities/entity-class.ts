/**
 * Internal: the one constructor the value entities share. An entity built from a properties object `D` has every
 * property of `D` as a read-only instance property; the class is made by {@link entityClass}.
 */

/** The instance properties of an entity built from `D`: every key of `D`, read-only, optional ones filled. */
export type EntityFields<D> = Readonly<Required<D>>;

/** The field names of `D`, each marked `true` (a missing or unknown name is a compile error). */
export type FieldNames<D> = { readonly [K in keyof D]-?: true };

/**
 * Makes the base class of an entity: its constructor copies the named fields of the given properties object (and
 * nothing else) onto the instance. A subclass whose `D` has optional keys declares its own constructor that fills
 * their defaults before calling `super`.
 *
 * @example `export class Service extends entityClass<ServiceData>({ id: true, name: true, ... }) {}`
 */
export function entityClass<D extends object>(fields: FieldNames<D>): new (data: EntityFields<D>) => EntityFields<D> {
  const names = Object.keys(fields) as Array<keyof D>;
  return class {
    constructor(data: EntityFields<D>) {
      const target = this as unknown as Record<keyof D, unknown>;
      for (const name of names) target[name] = data[name];
    }
  } as unknown as new (data: EntityFields<D>) => EntityFields<D>;
}
