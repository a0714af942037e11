/** The JWT claim rules of the protocol (docs/protocol.md §4 and §6): shapes and lifetimes both sides rely on. */

/** `iss` of every JWT the API issues (responses and webhooks), and `aud` of every request JWT. */
export const API_ISSUER = 'lka';

/** Lifetime in seconds of every JWT the API issues: `exp = iat + 30`. */
export const API_JWT_LIFETIME_SECONDS = 30;

/** The `request` claim of a request JWT (and of a webhook JWT): method, path and, with a body, its hash. */
export interface RequestClaim {
  meth: string;
  path: string;
  /** `S256`, `S384` or `S512`; present exactly when there is a body. */
  func?: string;
  /** base64url hash of the body bytes; present exactly when there is a body. */
  hash?: string;
}

/** The `response` claim of a response JWT: status, cache directive and, with a body, its hash. */
export interface ResponseClaim {
  status: number;
  cache: string;
  func?: string;
  hash?: string;
}

/** The entity types of the hierarchy that sign requests (`iss`) and are acted for (`sub`): `<type>:<uuid>`. */
export type EntityType = 'svc' | 'dir' | 'org';
