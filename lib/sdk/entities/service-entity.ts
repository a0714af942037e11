/** The Service entity (docs/protocol.md §A3.3) and its `ServiceValidator` parse function (§A3.7). */
import { entityClass } from './entity-class';
import { bool, reqNullableString, reqString, requireObject } from './schema';

/** Properties of a {@link Service}. */
export interface ServiceData {
  id: string;
  icon: string | null;
  name: string;
  description: string | null;
  active: boolean;
  callbackUrl: string | null;
}

/** An organization or directory service. */
export class Service extends entityClass<ServiceData>({
  id: true,
  icon: true,
  name: true,
  description: true,
  active: true,
  callbackUrl: true,
}) {}

/**
 * Parses a service (§A3.7 `ServiceValidator`): `id`, `name` strings; `icon`, `description`, `callback_url` present,
 * string or null; `active` boolean (absent false).
 * @throws UnexpectedAPIResponse when the JSON fails the schema
 */
export function parseService(json: unknown): Service {
  const what = 'service';
  const obj = requireObject(json, what);
  return new Service({
    id: reqString(obj, 'id', what),
    icon: reqNullableString(obj, 'icon', what),
    name: reqString(obj, 'name', what),
    description: reqNullableString(obj, 'description', what),
    active: bool(obj, 'active', what),
    callbackUrl: reqNullableString(obj, 'callback_url', what),
  });
}
