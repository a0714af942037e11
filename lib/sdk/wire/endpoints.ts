/**
 * The endpoint table of the v3 API (docs/protocol.md §7 and §10): every signed route with the entity types that may
 * be its subject, and the unsigned public routes. The emulator serves exactly these signed routes (a test holds it
 * to this table); `:name` segments are path parameters.
 */
import type { HttpMethod } from '../transport/types';
import type { EntityType } from './claims';

/** One signed endpoint. */
export interface Endpoint {
  method: HttpMethod;
  path: string;
  /** Types of `sub` the endpoint acts on. */
  subjectTypes: readonly EntityType[];
}

/** The unsigned public endpoints (GET only). */
export const PUBLIC_ENDPOINTS = Object.freeze([
  '/public/v3/ping',
  '/public/v3/public-key',
  '/public/v3/public-key/:kid',
]);

const svc = ['svc'] as const;
const dir = ['dir'] as const;
const org = ['org'] as const;

function keyEndpoints(base: string, subjectTypes: readonly EntityType[]): Endpoint[] {
  return [
    { method: 'POST', path: base, subjectTypes },
    { method: 'POST', path: `${base}/list`, subjectTypes },
    { method: 'PATCH', path: base, subjectTypes },
    { method: 'DELETE', path: base, subjectTypes },
  ];
}

function serviceEndpoints(base: string, subjectTypes: readonly EntityType[]): Endpoint[] {
  return [
    { method: 'POST', path: `${base}/services`, subjectTypes },
    { method: 'GET', path: `${base}/services`, subjectTypes },
    { method: 'POST', path: `${base}/services/list`, subjectTypes },
    { method: 'PATCH', path: `${base}/services`, subjectTypes },
    ...keyEndpoints(`${base}/service/keys`, subjectTypes),
    { method: 'POST', path: `${base}/service/policy/item`, subjectTypes },
    { method: 'PUT', path: `${base}/service/policy`, subjectTypes },
    { method: 'DELETE', path: `${base}/service/policy`, subjectTypes },
  ];
}

/** Every signed endpoint. */
export const SIGNED_ENDPOINTS: readonly Endpoint[] = Object.freeze([
  { method: 'POST', path: '/service/v3/auths', subjectTypes: svc },
  { method: 'GET', path: '/service/v3/auths/:id', subjectTypes: svc },
  { method: 'DELETE', path: '/service/v3/auths/:id', subjectTypes: svc },
  { method: 'POST', path: '/service/v3/sessions', subjectTypes: svc },
  { method: 'DELETE', path: '/service/v3/sessions', subjectTypes: svc },
  { method: 'POST', path: '/service/v3/totp', subjectTypes: svc },
  { method: 'POST', path: '/directory/v3/devices', subjectTypes: dir },
  { method: 'POST', path: '/directory/v3/devices/list', subjectTypes: dir },
  { method: 'DELETE', path: '/directory/v3/devices', subjectTypes: dir },
  { method: 'POST', path: '/directory/v3/sessions/list', subjectTypes: dir },
  { method: 'DELETE', path: '/directory/v3/sessions', subjectTypes: dir },
  { method: 'POST', path: '/directory/v3/totp', subjectTypes: dir },
  { method: 'DELETE', path: '/directory/v3/totp', subjectTypes: dir },
  { method: 'POST', path: '/organization/v3/directories', subjectTypes: org },
  { method: 'GET', path: '/organization/v3/directories', subjectTypes: org },
  { method: 'POST', path: '/organization/v3/directories/list', subjectTypes: org },
  { method: 'PATCH', path: '/organization/v3/directories', subjectTypes: org },
  ...keyEndpoints('/organization/v3/directory/keys', org),
  { method: 'POST', path: '/organization/v3/directory/sdk-keys', subjectTypes: org },
  { method: 'POST', path: '/organization/v3/directory/sdk-keys/list', subjectTypes: org },
  { method: 'DELETE', path: '/organization/v3/directory/sdk-keys', subjectTypes: org },
  ...serviceEndpoints('/organization/v3', org),
  ...serviceEndpoints('/directory/v3', dir),
]);
