/** Verification of a signed API request, docs/protocol.md §4.3 steps 1-11 in order (§5.3 for the body). */
import { JOSE_AUDIENCE, JOSE_SUPPORTED_JWT_ALGS } from '../../sdk/wire';
import { isJsonObject } from '../../sdk/wire';
import { isOneOf } from '../../sdk/wire';
import {
  contentHash,
  decodeHeader,
  decryptJwe,
  hashEquals,
  isCompactJwe,
  isCompactJws,
  isContentHashAlgorithm,
  verifyJwt,
} from '../../sdk/wire';
import type { HttpMethod } from '../../sdk/wire';
import { ApiError } from '../api-error';
import type { EmulatorRuntime } from '../runtime';
import { entityString, parseEntity } from '../state/entities';
import { privateKeyObject, publicKeyObject } from '../state/key-cache';
import type { EntityRecord } from '../state/state';
import type { EntityRef, KeyRecord } from '../state/types';

/** Longest accepted request JWT lifetime `exp - iat` in seconds (emulator sanity rule, step 6). */
export const MAX_REQUEST_JWT_LIFETIME = 300;

/** Who an answer is for: the claims echoed into the response JWT (docs/protocol.md §6.5 step 5). */
export interface ReplyTarget {
  /** `aud` of the response JWT: the request's (claimed) `iss`, or `public` when the JWT was unreadable. */
  aud: string;
  sub?: string;
  jti?: string;
}

/** The issuer's verified entity and the key that signed (answers are encrypted from them, docs/protocol.md §3.4). */
export interface VerifiedIssuer {
  issuer: EntityRef;
  issuerString: string;
  entity: EntityRecord;
  signingKey: KeyRecord;
}

/** A request that passed every step. */
export interface VerifiedRequest extends VerifiedIssuer {
  ok: true;
  reply: ReplyTarget;
  subject: EntityRef;
  body: Record<string, unknown>;
  hasBody: boolean;
}

/** A request that failed a step: 401 (steps 1-9, and undecryptable bodies), 403 (step 10), 400 ARG-001 (step 11). */
export interface RejectedRequest {
  ok: false;
  status: 401 | 403 | 400;
  /** Why (logged; never sent). */
  reason: string;
  reply: ReplyTarget;
  /** Set for 403/400: the verified issuer, to encrypt the error object to. */
  verified?: VerifiedIssuer;
  error?: ApiError;
}

/** The parts of an HTTP request that verification reads. */
export interface IncomingSignedRequest {
  method: HttpMethod;
  /** Path relative to the mount point, query removed, `%3A` decoded to `:`. */
  path: string;
  authorization: string | undefined;
  body: Buffer;
}

/** Decodes `%3A`/`%3a` to `:` so that both spellings of key ids in paths compare equal (docs/protocol.md §2.1). */
export function normalisePath(path: string): string {
  return path.replace(/%3a/gi, ':');
}

function decodeClaimsUnverified(token: string): Record<string, unknown> | null {
  try {
    const part = token.split('.')[1] ?? '';
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return isJsonObject(value) ? value : null;
  } catch {
    return null;
  }
}

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Runs docs/protocol.md §4.3 over a request. Never throws for bad input; returns the rejection instead. */
export async function verifySignedRequest(
  req: IncomingSignedRequest,
  rt: EmulatorRuntime,
): Promise<VerifiedRequest | RejectedRequest> {
  let reply: ReplyTarget = { aud: 'public' };
  const reject = (reason: string): RejectedRequest => ({ ok: false, status: 401, reason, reply });

  // 1. Authorization: IOV-JWT <token>
  const m = /^([A-Za-z-]+) (\S+)$/.exec(req.authorization ?? '');
  if (!m || (m[1] as string).toLowerCase() !== 'iov-jwt')
    return reject('Authorization header missing or not "IOV-JWT <token>"');
  const token = m[2] as string;

  // 2. compact JWS, alg, kid
  if (!isCompactJws(token)) return reject('token is not a compact JWS');
  let header;
  try {
    header = decodeHeader(token);
  } catch {
    return reject('JWS header is not decodable');
  }
  const claimsPreview = decodeClaimsUnverified(token);
  if (claimsPreview && typeof claimsPreview['iss'] === 'string') {
    reply = { aud: claimsPreview['iss'] };
    if (typeof claimsPreview['sub'] === 'string') reply.sub = claimsPreview['sub'];
    if (typeof claimsPreview['jti'] === 'string') reply.jti = claimsPreview['jti'];
  }
  if (!isOneOf(JOSE_SUPPORTED_JWT_ALGS, header.alg))
    return reject(`JWS alg ${String(header.alg)} is not RS256/RS384/RS512`);
  if (typeof header.kid !== 'string') return reject('JWS header has no string kid');

  // 3. iss names a known, active entity
  const issuer = parseEntity(claimsPreview?.['iss']);
  if (!issuer) return reject(`iss ${JSON.stringify(claimsPreview?.['iss'])} is not <svc|dir|org>:<uuid>`);
  const entity = rt.state.findEntity(issuer);
  if (!entity || !rt.state.isActive(issuer)) return reject(`iss ${entityString(issuer)} is not a known active entity`);

  // 4. kid usable for signatures; signature verifies
  const now = rt.clock.nowSeconds();
  const signingKey = rt.state.signingKey(entity, header.kid, now);
  if (!signingKey)
    return reject(`kid ${header.kid} is not an active, unexpired signature-capable key of ${entityString(issuer)}`);
  let claims: Record<string, unknown>;
  try {
    claims = (await verifyJwt(token, publicKeyObject(signingKey.publicKey))).claims;
  } catch (err) {
    return reject(`signature does not verify with kid ${header.kid}: ${(err as Error).message}`);
  }

  // 5. aud
  if (claims['aud'] !== JOSE_AUDIENCE) return reject(`aud ${JSON.stringify(claims['aud'])} is not "${JOSE_AUDIENCE}"`);

  // 6. times
  const L = rt.leewaySeconds;
  const { iat, nbf, exp } = claims;
  if (!isNumber(iat) || !isNumber(nbf) || !isNumber(exp)) return reject('iat, nbf and exp must be numbers');
  if (nbf > now + L) return reject(`nbf ${nbf} is in the future (now ${now}, leeway ${L})`);
  if (iat > now + L) return reject(`iat ${iat} is in the future (now ${now}, leeway ${L})`);
  if (exp < now - L) return reject(`exp ${exp} has passed (now ${now}, leeway ${L})`);
  if (exp - iat > MAX_REQUEST_JWT_LIFETIME)
    return reject(`exp - iat = ${exp - iat} s exceeds ${MAX_REQUEST_JWT_LIFETIME} s`);

  // 7. jti, once within its validity window
  const jti = claims['jti'];
  if (typeof jti !== 'string' || jti === '') return reject('jti missing');
  if (!rt.replayCache.use(jti, exp + L, now)) return reject(`jti ${jti} was already used (replay)`);

  // 8. method and path
  const request = claims['request'];
  if (!isJsonObject(request)) return reject('request claim missing');
  const r = request;
  if (r['meth'] !== req.method) return reject(`request.meth ${JSON.stringify(r['meth'])} does not match ${req.method}`);
  if (typeof r['path'] !== 'string' || normalisePath(r['path']) !== req.path)
    return reject(`request.path ${JSON.stringify(r['path'])} does not match ${req.path}`);

  // 9. body binding
  const hasBody = req.body.length > 0;
  const func = r['func'];
  const hash = r['hash'];
  if (hasBody) {
    if (func === undefined || hash === undefined) return reject('body sent but request.func/request.hash missing');
    if (!isContentHashAlgorithm(func)) return reject(`request.func ${JSON.stringify(func)} is not S256/S384/S512`);
    if (typeof hash !== 'string' || !hashEquals(contentHash(func, req.body), hash))
      return reject('request.hash does not match the body');
  } else if (func !== undefined || hash !== undefined) {
    return reject('request.func/request.hash present but the body is empty');
  }

  // 10. sub names a known entity the issuer may act for
  const verified: VerifiedIssuer = { issuer, issuerString: claims['iss'] as string, entity, signingKey };
  const subject = parseEntity(claims['sub']);
  if (!subject || !rt.state.findEntity(subject))
    return reject(`sub ${JSON.stringify(claims['sub'])} is not a known entity`);
  if (!rt.state.mayActFor(issuer, subject)) {
    return {
      ok: false,
      status: 403,
      reason: `${entityString(issuer)} may not act for ${entityString(subject)}`,
      reply,
      verified,
      error: ApiError.forbidden(`${entityString(issuer)} may not act for ${entityString(subject)}`),
    };
  }

  // 11. body decrypts (docs/protocol.md §5.3) and is a JSON object
  let body: Record<string, unknown> = {};
  if (hasBody) {
    const text = req.body.toString('latin1');
    if (!isCompactJwe(text)) return reject('body is not a compact JWE');
    let kid: unknown;
    try {
      kid = decodeHeader(text).kid;
    } catch {
      return reject('JWE header is not decodable');
    }
    const candidates = rt.state
      .apiDecryptionKeys()
      .filter((k) => kid === undefined || k.id === String(kid).toLowerCase());
    if (candidates.length === 0) return reject(`JWE kid ${String(kid)} is not a current or previous API key`);
    let plaintext: string | null = null;
    for (const k of candidates) {
      try {
        plaintext = await decryptJwe(text, privateKeyObject(k.privateKey));
        break;
      } catch {
        // try the next key
      }
    }
    if (plaintext === null) return reject('body does not decrypt with the API key');
    let parsed: unknown;
    try {
      parsed = JSON.parse(plaintext);
    } catch {
      parsed = undefined;
    }
    if (!isJsonObject(parsed)) {
      return {
        ok: false,
        status: 400,
        reason: 'body is not a JSON object',
        reply,
        verified,
        error: ApiError.invalidParameters('The request body is not a JSON object'),
      };
    }
    body = parsed;
  }
  return { ok: true, reply, subject, body, hasBody, ...verified };
}
