/**
 * A tiny stand-in of the API's wire protocol for unit tests of the transport's pure checks: it answers ping and
 * public-key, verifies signed requests with the shared primitives, records them, and answers with a correctly
 * built X-IOV-JWT and JWE body (docs/protocol.md §6.5). Each answer can be altered by a hook before it is sent.
 * The round trips of the SDK are tested against the real emulator; this server only makes single checks reachable.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeyObject } from 'node:crypto';
import {
  contentHash,
  decodeHeader,
  decryptJwe,
  encryptJwe,
  signJwt,
  verifyJwt,
} from '../../../lib/sdk/transport/jose-primitives';
import { keyId, parseRsaPrivateKey, parseRsaPublicKey, publicKeyPem } from '../../../lib/sdk/transport/keys';
import { CompactSign } from 'jose';
import { isoFormat } from '../../../lib/sdk/utils';

function signNoKid(claims: Record<string, unknown>, key: KeyObject): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: 'RS256' })
    .sign(key);
}

/** One signed request as the mini API saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  rawBody: string;
  jwtHeader: Record<string, unknown>;
  claims: Record<string, unknown>;
  jweHeader: Record<string, unknown> | null;
  plaintext: unknown;
}

/** An answer before it is signed; `claims` and `headers` may be changed by {@link MiniApi.alter}. */
export interface Answer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  claims: Record<string, unknown>;
  rawBody: string;
  /** JWT header kid (default the signing key's id; undefined: no kid). */
  kid: string | undefined;
  /** Key that signs the JWT (default the API signing key). */
  signWith: KeyObject;
  /** When true, no X-IOV-JWT header is sent. */
  dropJwt: boolean;
}

/** Handler of a signed route: returns status and JSON body (undefined: empty). */
export type Route = (req: RecordedRequest) => { status: number; body?: unknown; headers?: Record<string, string> };

export interface MiniApi {
  url: string;
  signingKid: string;
  encryptionKid: string;
  requests: RecordedRequest[];
  /** Count of requests per path (public ones included). */
  hits: Map<string, number>;
  /** Offset in seconds added to the mini API's clock. */
  offsetSeconds: number;
  /** Route table keyed by `METHOD path`. */
  routes: Map<string, Route>;
  /** Changes an answer (claims, headers, raw body) after it is built and before it is signed. */
  alter: ((answer: Answer, req: RecordedRequest) => void) | null;
  /** Replaces the ping answer. */
  ping: ((res: ServerResponse) => void) | null;
  /** Registers an entity public key (PEM) under its key id. */
  addEntityKey(pem: string): string;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Starts the mini API on 127.0.0.1 with a free port. Keys: separate signing and encryption key pairs (PEM). */
export async function startMiniApi(signingPem: string, encryptionPem: string): Promise<MiniApi> {
  const signing = parseRsaPrivateKey(signingPem);
  const encryption = parseRsaPrivateKey(encryptionPem);
  const signingKid = keyId(signing);
  const encryptionKid = keyId(encryption);
  const publicPems = new Map<string, string>([
    [signingKid, publicKeyPem(signing)],
    [encryptionKid, publicKeyPem(encryption)],
  ]);
  const entityKeys = new Map<string, KeyObject>();
  const api: MiniApi = {
    url: '',
    signingKid,
    encryptionKid,
    requests: [],
    hits: new Map(),
    offsetSeconds: 0,
    routes: new Map(),
    alter: null,
    ping: null,
    addEntityKey(pem: string) {
      const key = parseRsaPublicKey(pem);
      const kid = keyId(key);
      entityKeys.set(kid, key);
      return kid;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const now = () => Math.floor(Date.now() / 1000) + api.offsetSeconds;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] as string;
    api.hits.set(path, (api.hits.get(path) ?? 0) + 1);
    const rawBody = await readBody(req);
    if (path === '/public/v3/ping') {
      if (api.ping) return api.ping(res);
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ api_time: isoFormat(new Date(now() * 1000)) }));
      return;
    }
    if (path.startsWith('/public/v3/public-key')) {
      const kid =
        path === '/public/v3/public-key'
          ? encryptionKid
          : decodeURIComponent(path.slice('/public/v3/public-key/'.length));
      const pem = publicPems.get(kid);
      if (!pem) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/plain', 'X-IOV-KEY-ID': kid }).end(pem);
      return;
    }
    const auth = req.headers.authorization ?? '';
    const token = auth.replace(/^IOV-JWT /, '');
    const jwtHeader = decodeHeader(token) as Record<string, unknown>;
    const entityKey = entityKeys.get(String(jwtHeader['kid']));
    if (!entityKey) throw new Error(`unknown entity kid ${String(jwtHeader['kid'])}`);
    const { claims } = await verifyJwt(token, entityKey);
    let plaintext: unknown = null;
    let jweHeader: Record<string, unknown> | null = null;
    if (rawBody !== '') {
      jweHeader = decodeHeader(rawBody) as Record<string, unknown>;
      plaintext = JSON.parse(await decryptJwe(rawBody, encryption)) as unknown;
    }
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      path,
      headers: req.headers,
      rawBody,
      jwtHeader,
      claims,
      jweHeader,
      plaintext,
    };
    api.requests.push(recorded);
    const route = api.routes.get(`${recorded.method} ${path}`);
    const out = route ? route(recorded) : { status: 404, body: { error_code: 'HTTP-404', error_detail: 'Not Found' } };
    const body =
      out.body === undefined ? '' : await encryptJwe(JSON.stringify(out.body), entityKey, String(jwtHeader['kid']));
    const t = now();
    const response: Record<string, unknown> = { status: out.status };
    if (body !== '') {
      response['func'] = 'S256';
      response['hash'] = contentHash('S256', body);
    }
    const headers: Record<string, string> = { 'Cache-Control': 'no-store', ...(out.headers ?? {}) };
    response['cache'] = headers['Cache-Control'];
    if (headers['Location'] !== undefined) response['location'] = headers['Location'];
    const answer: Answer = {
      status: out.status,
      body: out.body,
      headers,
      rawBody: body,
      claims: {
        iss: 'lka',
        aud: claims['iss'],
        sub: claims['sub'],
        jti: claims['jti'],
        iat: t,
        nbf: t,
        exp: t + 30,
        response,
      },
      kid: signingKid,
      signWith: signing,
      dropJwt: false,
    };
    if (api.alter) api.alter(answer, recorded);
    const jwt =
      answer.kid === undefined
        ? await signNoKid(answer.claims, answer.signWith)
        : await signJwt(answer.claims, answer.signWith, 'RS256', answer.kid, 'JWT');
    const jwtHeader2: Record<string, string> = answer.dropJwt ? {} : { 'X-IOV-JWT': jwt };
    res.writeHead(answer.status, {
      ...answer.headers,
      ...jwtHeader2,
      ...(answer.rawBody ? { 'Content-Type': 'application/jose' } : {}),
    });
    res.end(answer.rawBody);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return api;
}
