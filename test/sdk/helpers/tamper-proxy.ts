/**
 * A small HTTP proxy between the SDK and the emulator that can rewrite one thing in an answer (status, headers,
 * body, or the X-IOV-JWT claims re-signed with the proxy's own key, whose public half it serves under its own key
 * id so that one claim at a time can be made wrong while the signature still verifies).
 * Hand-written on purpose: proxy libraries (http-proxy and the like) forward answers; none re-signs JWT claims.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CompactSign, decodeJwt, decodeProtectedHeader } from 'jose';
import { keyId, parseRsaPrivateKey, publicKeyPem } from '../../../lib/sdk/transport/keys';
import { contentHash } from '../../../lib/sdk/transport/jose-primitives';

/** An answer on its way back to the SDK. */
export interface ProxiedAnswer {
  method: string;
  path: string;
  status: number;
  /** Header names in lower case; delete or set freely. */
  headers: Record<string, string>;
  body: Buffer;
}

/** Rewrites an answer; return false to leave it (the rewrite stays armed), anything else consumes it. */
export type Rewrite = (answer: ProxiedAnswer) => void | false | Promise<void | false>;

export interface TamperProxy {
  url: string;
  /** The proxy's own signing key id (served at `/public/v3/public-key/<kid>`). */
  kid: string;
  /** Arms a rewrite for the next matching answer. */
  rewriteNext(fn: Rewrite): void;
  /** Requests that reached the upstream, as `METHOD path`. */
  forwarded: string[];
  /** Re-signs the answer's X-IOV-JWT with the proxy key after `mutate` changed its claims (and header). */
  resign(
    answer: ProxiedAnswer,
    mutate: (claims: Record<string, unknown>, header: Record<string, unknown>) => void,
  ): Promise<void>;
  /** Sets the body and rebinds the hash in a re-signed JWT. */
  replaceBody(answer: ProxiedAnswer, body: string): Promise<void>;
  close(): Promise<void>;
}

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Starts a proxy to `target` on 127.0.0.1 with a free port. `proxyKeyPem`: the proxy's RSA private key. */
export async function startTamperProxy(target: string, proxyKeyPem: string): Promise<TamperProxy> {
  const proxyKey = parseRsaPrivateKey(proxyKeyPem);
  const kid = keyId(proxyKey);
  const pem = publicKeyPem(proxyKey);
  const upstream = new URL(target);
  let armed: Rewrite | null = null;

  const proxy: TamperProxy = {
    url: '',
    kid,
    forwarded: [],
    rewriteNext(fn) {
      armed = fn;
    },
    async resign(answer, mutate) {
      const token = answer.headers['x-iov-jwt'] ?? '';
      const claims = decodeJwt(token) as Record<string, unknown>;
      const header = { ...decodeProtectedHeader(token), kid } as Record<string, unknown>;
      mutate(claims, header);
      const signer = new CompactSign(new TextEncoder().encode(JSON.stringify(claims)));
      answer.headers['x-iov-jwt'] = await signer.setProtectedHeader(header as { alg: string }).sign(proxyKey);
    },
    async replaceBody(answer, body) {
      answer.body = Buffer.from(body);
      await proxy.resign(answer, (claims) => {
        const response = claims['response'] as Record<string, unknown>;
        if (body === '') {
          delete response['func'];
          delete response['hash'];
        } else {
          response['func'] = 'S256';
          response['hash'] = contentHash('S256', body);
        }
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      if (path === `/public/v3/public-key/${kid}`) {
        res.writeHead(200, { 'Content-Type': 'text/plain', 'X-IOV-KEY-ID': kid }).end(pem);
        return;
      }
      proxy.forwarded.push(`${req.method} ${path}`);
      const headers = { ...req.headers, host: upstream.host };
      const out = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path, headers },
        (up) => {
          const body: Buffer[] = [];
          up.on('data', (c: Buffer) => body.push(c));
          up.on('end', () => {
            const answer: ProxiedAnswer = {
              method: req.method ?? '',
              path,
              status: up.statusCode ?? 502,
              headers: flatten(up.headers),
              body: Buffer.concat(body),
            };
            void (async () => {
              if (armed) {
                const fn = armed;
                if ((await fn(answer)) !== false) armed = null;
              }
              delete answer.headers['content-length'];
              delete answer.headers['transfer-encoding'];
              delete answer.headers['connection'];
              delete answer.headers['keep-alive'];
              res.writeHead(answer.status, answer.headers).end(answer.body);
            })().catch((err: unknown) => res.writeHead(599).end(String(err)));
          });
        },
      );
      out.on('error', (err) => res.writeHead(598).end(String(err)));
      out.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
