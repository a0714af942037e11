/** The `auth_methods` a device reports (docs/protocol.md §11.5, §B12.6). */
import { isJsonObject } from '../../sdk/wire';

/** One `auth_methods` item as on the wire. */
export interface AuthMethodItem {
  method: string;
  set: boolean | null;
  active: boolean | null;
  allowed: boolean | null;
  supported: boolean | null;
  user_required: boolean | null;
  passed: boolean | null;
  error: boolean | null;
}

function item(
  method: string,
  set: boolean | null,
  active: boolean,
  allowed: boolean,
  supported: boolean,
): AuthMethodItem {
  return { method, set, active, allowed, supported, user_required: null, passed: null, error: null };
}

/** The list a freshly linked device with no methods configured reports, in this order (docs/protocol.md §B12.6). */
export function defaultAuthMethods(): AuthMethodItem[] {
  return [
    item('wearables', false, false, true, false),
    item('geofencing', null, true, true, true),
    item('locations', false, false, true, true),
    item('pin_code', false, false, true, true),
    item('circle_code', false, false, true, true),
    item('face', false, false, true, false),
    item('fingerprint', false, false, true, true),
  ];
}

const BOOL_FIELDS = ['set', 'active', 'allowed', 'supported', 'user_required', 'passed', 'error'] as const;

/**
 * Normalises `methods` given to the control API: each item needs a string `method` (sent lower case); the boolean
 * fields may be omitted (null). Returns `{ error }` with a message when the input is not such a list.
 */
export function parseAuthMethods(value: unknown): { methods: AuthMethodItem[] } | { error: string } {
  if (!Array.isArray(value)) return { error: 'methods must be an array' };
  const out: AuthMethodItem[] = [];
  for (const v of value) {
    if (!isJsonObject(v)) return { error: 'each method must be an object' };
    const o = v;
    if (typeof o['method'] !== 'string' || o['method'] === '') return { error: 'each method needs a "method" name' };
    const m: AuthMethodItem = {
      method: o['method'].toLowerCase(),
      set: null,
      active: null,
      allowed: null,
      supported: null,
      user_required: null,
      passed: null,
      error: null,
    };
    for (const f of BOOL_FIELDS) {
      const b = o[f];
      if (b === undefined || b === null) continue;
      if (typeof b !== 'boolean') return { error: `${f} of ${m.method} must be a boolean or null` };
      m[f] = b;
    }
    out.push(m);
  }
  return { methods: out };
}
