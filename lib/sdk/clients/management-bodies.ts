/** Internal: request-body builders shared by the Organization and Directory clients (not part of the public API). */
import type { KeyType } from '../entities/shared';
import { isoFormat } from '../utils';

/** Options when adding a public key. Omitted keys are not sent (the API defaults: active, no expiry, BOTH). */
export interface AddPublicKeyOptions {
  /** Expiry of the key (sent as UTC ISO, seconds precision). */
  expires?: Date;
  /** Whether the key is active (API default `true`). */
  active?: boolean;
  /** Purpose of the key (API default `KeyType.BOTH`). */
  keyType?: KeyType;
}

/** Options when updating a public key: only provided keys are sent; `expires: null` removes the expiry. */
export interface UpdatePublicKeyOptions {
  expires?: Date | null;
  active?: boolean;
}

/** The body key naming whose public keys a key call is about, e.g. `{ service_id: "<id>" }`. */
export type KeyOwner = Readonly<Record<string, string>>;

/** Builds the optional part of a key-add body (`date_expires`, `active`, `key_type`). */
export function addKeyOptionsBody(options: AddPublicKeyOptions | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (options?.expires !== undefined) body['date_expires'] = isoFormat(options.expires);
  if (options?.active !== undefined) body['active'] = options.active;
  if (options?.keyType !== undefined) body['key_type'] = options.keyType;
  return body;
}

/** Builds the optional part of a key-update body (`date_expires` possibly `null`, `active`). */
export function updateKeyOptionsBody(options: UpdatePublicKeyOptions | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (options?.expires !== undefined)
    body['date_expires'] = options.expires === null ? null : isoFormat(options.expires);
  if (options?.active !== undefined) body['active'] = options.active;
  return body;
}

/**
 * The update-body part of `options`: each provided key (not `undefined`; `null` included, to clear) under its wire
 * name from `wireNames`, in the order of `wireNames`.
 */
export function providedFields<O extends object>(
  options: O,
  wireNames: { readonly [K in keyof O]-?: string },
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const key of Object.keys(wireNames) as Array<keyof O>) {
    if (options[key] !== undefined) body[wireNames[key]] = options[key];
  }
  return body;
}

/**
 * Base64 MIME style, as Python's `base64.encodebytes`: lines of at most 76 characters, each ending with `\n`
 * (so the text ends with a line break). Empty input gives `''`.
 */
export function base64Mime(bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes).toString('base64');
  let out = '';
  for (let i = 0; i < b64.length; i += 76) out += `${b64.slice(i, i + 76)}\n`;
  return out;
}
