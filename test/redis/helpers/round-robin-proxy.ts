/**
 * A small HTTP load balancer for tests (loopback only): forwards each request to the next live backend in turn,
 * skips backends that refuse connections (a killed instance), can pin requests to chosen backends, and can deliver
 * one request to several backends at once (a duplicated webhook). Each response carries `x-served-by`.
 * Hand-written on purpose: pinning a request to chosen backends and duplicating one request to several are test
 * needs that load-balancing libraries do not offer.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One backend: a name (e.g. `A`) and its loopback port. */
export interface Backend {
  name: string;
  port: number;
}

/** A request the proxy kept (webhooks), to deliver again as the API would on a retry. */
export interface CapturedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** How one forwarded request went. */
export interface ProxyRecord {
  method: string;
  path: string;
  backend: string;
  status: number;
}

/**
 * Chooses backends for a request: a name, several names (the request goes to each; the client gets the first
 * answer), or null for round robin.
 */
export type ProxyRoute = (req: IncomingMessage) => string | string[] | null;

interface Upstream {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: IncomingMessage;
}

/** The proxy. */
export class RoundRobinProxy {
  readonly backends: Backend[];
  /** Every forwarded request, in order of completion. */
  readonly log: ProxyRecord[] = [];
  /** Custom routing (default: round robin for everything). */
  route: ProxyRoute = () => null;
  /** Every request whose path starts with `/webhooks/`, as received. */
  readonly captured: CapturedRequest[] = [];
  /** Requests forwarded and not answered yet, by path (without query). */
  readonly inFlight = new Map<string, number>();
  private next = 0;
  private server: http.Server | null = null;
  private readonly down = new Set<string>();

  constructor(backends: Backend[]) {
    this.backends = [...backends];
  }

  /** `http://127.0.0.1:<port>` once started. */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('proxy not started');
    return `http://127.0.0.1:${address.port}`;
  }

  /** Replaces the backend called `name` (e.g. a restarted instance on a new port). */
  setBackend(backend: Backend): void {
    const index = this.backends.findIndex((b) => b.name === backend.name);
    if (index >= 0) this.backends[index] = backend;
    else this.backends.push(backend);
    this.down.delete(backend.name);
  }

  async start(): Promise<string> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 1000;
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const body = await readAll(req);
      if ((req.url ?? '').startsWith('/webhooks/')) {
        this.captured.push({ method: req.method ?? 'POST', url: req.url ?? '/', headers: { ...req.headers }, body });
      }
      const chosen = this.route(req);
      const targets = chosen === null ? [null] : Array.isArray(chosen) ? chosen : [chosen];
      const answers = targets.map((name) => this.forward(req, body, name));
      const [first, ...others] = answers;
      for (const other of others) {
        void other.then(
          (up) => up.body.resume(),
          () => undefined,
        );
      }
      const upstream = await (first as Promise<Upstream & { backend: string }>);
      res.writeHead(upstream.status, { ...upstream.headers, 'x-served-by': upstream.backend });
      upstream.body.pipe(res);
    } catch (err) {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`proxy: ${err instanceof Error ? err.message : String(err)}`);
      } else {
        res.destroy();
      }
    }
  }

  /** Forwards to `name`, or round robin over live backends when null (skipping refused ones). */
  private async forward(
    req: IncomingMessage,
    body: Buffer,
    name: string | null,
  ): Promise<Upstream & { backend: string }> {
    const candidates = name === null ? this.roundRobinOrder() : this.backends.filter((b) => b.name === name);
    let lastError: unknown = new Error('no backend');
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    for (const backend of candidates) {
      this.inFlight.set(path, (this.inFlight.get(path) ?? 0) + 1);
      try {
        const upstream = await send(backend, req, body);
        this.down.delete(backend.name);
        this.log.push({
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          backend: backend.name,
          status: upstream.status,
        });
        return { ...upstream, backend: backend.name };
      } catch (err) {
        lastError = err;
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'ECONNREFUSED' && code !== 'ECONNRESET') throw err;
        this.down.add(backend.name);
      } finally {
        this.inFlight.set(path, (this.inFlight.get(path) ?? 1) - 1);
      }
    }
    throw lastError;
  }

  /** Sends a captured request again, straight to backend `name`; resolves with the status. */
  async redeliver(captured: CapturedRequest, name: string): Promise<number> {
    const backend = this.backends.find((b) => b.name === name);
    if (!backend) throw new Error(`no backend ${name}`);
    const fake = { method: captured.method, url: captured.url, headers: captured.headers } as IncomingMessage;
    const upstream = await send(backend, fake, captured.body);
    upstream.body.resume();
    this.log.push({ method: captured.method, path: captured.url, backend: name, status: upstream.status });
    return upstream.status;
  }

  private roundRobinOrder(): Backend[] {
    const live = this.backends.filter((b) => !this.down.has(b.name));
    const pool = live.length > 0 ? live : this.backends;
    const start = this.next++ % pool.length;
    return [...pool.slice(start), ...pool.slice(0, start)];
  }
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function send(backend: Backend, req: IncomingMessage, body: Buffer): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, 'content-length': String(body.length) };
    delete headers['transfer-encoding'];
    const upstream = http.request(
      { host: '127.0.0.1', port: backend.port, method: req.method, path: req.url, headers, agent: false },
      (res) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: res }),
    );
    upstream.on('error', reject);
    upstream.end(body);
  });
}
