/**
 * Verification of JWTs the API issues (response `X-IOV-JWT` and webhook `X-IOV-JWT`): header, key by kid,
 * signature and the shared claims (docs/protocol.md §6.3 steps 3-6, §11.3 steps 2-4). Failures are
 * `JWTValidationFailure` (or `InvalidJWTResponse` for an undecodable token).
 */
import type { KeyObject } from 'node:crypto';
import { errors as joseErrors, jwtVerify } from 'jose';
import { JOSE_JWT_LEEWAY, JOSE_SUPPORTED_JWT_ALGS } from '../constants';
import { InvalidJWTResponse, JWTValidationFailure } from '../errors';
import { isOneOf } from '../utils';
import { isKeyId, notAKeyIdError } from './api-key-cache';
import { decodeHeader, isCompactJws } from './jose-primitives';
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

/** Our message for a claim check `jwtVerify` refused (the messages callers and tests know). */
function claimFailure(
  err: InstanceType<typeof joseErrors.JWTClaimValidationFailed>,
  expect: ApiJwtExpectations,
): string {
  const value = (err.payload as Record<string, unknown>)[err.claim];
  switch (err.claim) {
    case 'iss':
      return `JWT iss ${JSON.stringify(value)} is not ${expect.issuer}`;
    case 'aud':
      return `JWT aud ${JSON.stringify(value)} is not ${expect.audience}`;
    case 'sub':
      return `JWT sub ${JSON.stringify(value)} is not ${expect.subject}`;
    default:
      if (err.reason !== 'check_failed') return 'JWT nbf, exp and iat must be numbers';
      if (err.claim === 'nbf') return 'the JWT is not valid yet (nbf)';
      if (err.claim === 'exp') return 'the JWT has expired (exp)';
      return 'the JWT was issued in the future (iat)';
  }
}

/**
 * Checks the header ({@link checkApiJwtHeader}), obtains the key through `keyFor(kid)`, then lets `jose`'s
 * `jwtVerify` check the signature and the claims: iss, aud, sub (exact strings), nbf, exp and iat present and
 * numbers, nbf and exp against `now` with the leeway, and iat not in the future (its `maxTokenAge` check, with no
 * real age limit: `exp` bounds the age). `jose` has no option for `jti`, compared here when expected; nor for an
 * `aud` that must be a single string (it also accepts an array holding it), checked here too.
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
    claims = (
      await jwtVerify(token, key, {
        algorithms: [...JOSE_SUPPORTED_JWT_ALGS],
        issuer: expect.issuer,
        audience: expect.audience,
        subject: expect.subject,
        requiredClaims: ['nbf', 'exp', 'iat'],
        currentDate: new Date(expect.now * 1000),
        clockTolerance: expect.leeway ?? JOSE_JWT_LEEWAY,
        maxTokenAge: Number.MAX_SAFE_INTEGER,
      })
    ).payload;
  } catch (err) {
    if (err instanceof joseErrors.JWTClaimValidationFailed || err instanceof joseErrors.JWTExpired) {
      throw new JWTValidationFailure(claimFailure(err, expect), null, err);
    }
    throw new JWTValidationFailure('the JWT signature does not verify', null, err);
  }
  if (typeof claims['aud'] !== 'string') fail(`JWT aud ${JSON.stringify(claims['aud'])} is not ${expect.audience}`);
  if (expect.jti !== undefined && claims['jti'] !== expect.jti) {
    fail(`JWT jti ${JSON.stringify(claims['jti'])} does not echo the request`);
  }
  return claims as VerifiedApiJwt;
}
