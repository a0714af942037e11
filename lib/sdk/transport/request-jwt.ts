/** The request JWT of signed calls (docs/protocol.md §4.1, §4.2). */
import { randomUUID } from 'node:crypto';
import { REQUEST_JWT_LIFETIME, type ContentHashAlgorithm, type JwtAlgorithm } from '../constants';
import type { EntityKey } from './entity-key-ring';
import { contentHash, signJwt } from './jose-primitives';
import type { HttpMethod } from './types';

/** What a request JWT is built from. */
export interface RequestJwtInput {
  issuer: string;
  subject: string;
  audience: string;
  method: HttpMethod;
  path: string;
  /** The exact body as sent (the JWE compact string), or undefined without a body. */
  body: string | undefined;
  /** Server-adjusted now in seconds. */
  now: number;
  algorithm: JwtAlgorithm;
  hashAlgorithm: ContentHashAlgorithm;
  signingKey: EntityKey;
}

/** A signed request JWT and the `jti` the response must echo. */
export interface RequestJwt {
  token: string;
  jti: string;
}

/**
 * Builds and signs the request JWT: header `{alg, kid}` (no `typ`); claims `iss`, `sub`, `aud`, `iat`,
 * `nbf = iat`, `exp = iat + 5`, a fresh v4 `jti` and `request {meth, path[, func, hash]}`; no other claims.
 */
export async function buildRequestJwt(input: RequestJwtInput): Promise<RequestJwt> {
  const iat = Math.floor(input.now);
  const jti = randomUUID();
  const request: Record<string, string> = { meth: input.method, path: input.path };
  if (input.body !== undefined && input.body !== '') {
    request['func'] = input.hashAlgorithm;
    request['hash'] = contentHash(input.hashAlgorithm, input.body);
  }
  const claims = {
    iss: input.issuer,
    sub: input.subject,
    aud: input.audience,
    iat,
    nbf: iat,
    exp: iat + REQUEST_JWT_LIFETIME,
    jti,
    request,
  };
  const token = await signJwt(claims, input.signingKey.key, input.algorithm, input.signingKey.kid);
  return { token, jti };
}
