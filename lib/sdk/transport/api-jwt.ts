/**
 * Verification of JWTs the API issues (response `X-IOV-JWT` and webhook `X-IOV-JWT`): header, key by kid,
 * signature and the shared claims (docs/protocol.md §6.3 steps 3-6, §11.3 steps 2-4). Failures are
 * `JWTValidationFailure` (or `InvalidJWTResponse` for an undecodable token).
 */
import type { KeyObject } from 'node:crypto';
import { JOSE_JWT_LEEWAY, JOSE_SUPPORTED_JWT_ALGS } from '../constants';
import { InvalidJWTResponse, JWTValidationFailure } from '../errors';
import { isOneOf } from '../utils';
import { isKeyId, notAKeyIdError } from './api-key-cache';
import { decodeHeader, isCompactJws, verifyJwt } from './jose-primitives';
import type { VerifiedApiJwt } from './types';

/** What an API-issued JWT must carry. */
export interface ApiJwtExpectations {
  /** Expected `iss` (the API identifier, `lka`). */
  issuer: string;
  /** Expected `aud` (the client's own entity string). */
  audience: string;
  /** Expected `sub`. */
  subject: string;
  /** Expected `jti` (responses only; webhooks do not compare it). */
  jti?: string;
  /** Server-adjusted now in seconds. */
  now: number;
  /** Leeway in seconds for nbf/iat/exp (default 30). */
  leeway?: number;
}

/** Finds a header case-insensitively in a Node-style header record; arrays give their first value. */
export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== wanted || v === undefined) continue;
    return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

function fail(message: string): never {
  throw new JWTValidationFailure(message);
}

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/**
 * Checks the header of an API-issued JWT without any key or network: a compact JWS (else `InvalidJWTResponse`)
 * whose header decodes, with `alg` RS256/RS384/RS512 and a `kid` that is a key id (16 hex pairs joined by `:`,
 * docs/protocol.md §3.2), else `JWTValidationFailure`. Returns the kid in lower case.
 */
export function checkApiJwtHeader(token: string): { kid: string; alg: string } {
  if (!isCompactJws(token)) throw new InvalidJWTResponse('the JWT is not a compact JWS');
  let header: ReturnType<typeof decodeHeader>;
  try {
    header = decodeHeader(token);
  } catch (err) {
    throw new InvalidJWTResponse('the JWT header cannot be decoded', null, err);
  }
  if (typeof header.kid !== 'string' || header.kid === '') fail('the JWT header has no kid');
  if (!isKeyId(header.kid)) throw notAKeyIdError(header.kid);
  if (!isOneOf(JOSE_SUPPORTED_JWT_ALGS, header.alg)) {
    fail(`the JWT algorithm ${JSON.stringify(header.alg)} is not allowed`);
  }
  return { kid: header.kid.toLowerCase(), alg: header.alg };
}

/**
 * Checks the header ({@link checkApiJwtHeader}), obtains the key through `keyFor(kid)`,
 * verifies the signature and checks iss, aud, sub, jti (when expected) and the times with leeway.
 */
export async function verifyApiJwt(
  token: string,
  keyFor: (kid: string) => Promise<KeyObject>,
  expect: ApiJwtExpectations,
): Promise<VerifiedApiJwt> {
  const { kid } = checkApiJwtHeader(token);
  const key = await keyFor(kid);
  let claims: Record<string, unknown>;
  try {
    claims = (await verifyJwt(token, key)).claims;
  } catch (err) {
    throw new JWTValidationFailure('the JWT signature does not verify', null, err);
  }
  const leeway = expect.leeway ?? JOSE_JWT_LEEWAY;
  if (claims['iss'] !== expect.issuer) fail(`JWT iss ${JSON.stringify(claims['iss'])} is not ${expect.issuer}`);
  if (claims['aud'] !== expect.audience) fail(`JWT aud ${JSON.stringify(claims['aud'])} is not ${expect.audience}`);
  if (claims['sub'] !== expect.subject) fail(`JWT sub ${JSON.stringify(claims['sub'])} is not ${expect.subject}`);
  if (expect.jti !== undefined && claims['jti'] !== expect.jti) fail(`JWT jti ${JSON.stringify(claims['jti'])} does not echo the request`);
  const { nbf, exp, iat } = claims;
  if (!isNumber(nbf) || !isNumber(exp) || !isNumber(iat)) fail('JWT nbf, exp and iat must be numbers');
  if (nbf > expect.now + leeway) fail('the JWT is not valid yet (nbf)');
  if (iat > expect.now + leeway) fail('the JWT was issued in the future (iat)');
  if (exp < expect.now - leeway) fail('the JWT has expired (exp)');
  return claims as VerifiedApiJwt;
}
