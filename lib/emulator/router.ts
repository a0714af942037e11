/**
 * The one route table of the emulator: the signed API (everything under `/service`, `/directory`, `/organization`),
 * the control API and simulator page (`/_emulator`) and the public routes (`/public`); one dispatcher
 * (`http/server.ts`) serves them all.
 *
 * How to add routes (e.g. `lib/emulator/routes/management/*.ts`): export one function per file,
 *
 * ```ts
 * import type { Router } from '../../router';
 * import { ApiError } from '../../api-error';
 *
 * export function registerRoutes(router: Router): void {
 *   router.add({
 *     method: 'POST',
 *     path: '/organization/v3/directories',        // `:name` segments become ctx.params.name
 *     subjectTypes: ['org'],                       // allowed types of the request `sub`; others get 403
 *     handler: (ctx) => {
 *       const name = ctx.body['name'];             // decrypted JSON body ({} when the request had none)
 *       if (typeof name !== 'string') throw ApiError.invalidParameters({ name: 'required' });
 *       const org = ctx.state.findOrganization(ctx.subject.id)!;
 *       // ... mutate ctx.state.data (persisted automatically after every non-GET call)
 *       return { status: 201, body: { id } };      // body is encrypted to the caller; omit it for 204
 *     },
 *   });
 * }
 * ```
 *
 * and add one line calling it in `lib/emulator/routes/index.ts`. By the time a handler runs, the request has passed
 * every check of docs/protocol.md §4.3 (signature, kid, times, jti, method/path, body hash, issuer may act for subject,
 * body decrypted to a JSON object). Throw {@link ApiError} for error answers (ARG-001 400, SVC-005 409, `HTTP-403`
 * ...); any other exception becomes a 500. Webhooks: `sendWebhook` from `lib/emulator/webhooks.ts`.
 */
import type { HttpMethod } from '../sdk/wire';
import type { EmulatorRuntime } from './runtime';
import type { EmulatorState } from './state/state';
import type { EntityRef, EntityType, KeyRecord } from './state/types';

/** What a handler receives: the verified request. */
export interface RouteContext {
  method: HttpMethod;
  /** The request path (relative to the emulator's mount point, `%3A` decoded). */
  path: string;
  /** Values of the `:name` segments of the route path (URL-decoded). */
  params: Record<string, string>;
  /** The credential entity (`iss`), verified. */
  issuer: EntityRef;
  /** `iss` as sent, e.g. `dir:<uuid>`. */
  issuerString: string;
  /** The entity acted upon (`sub`); the issuer may act for it. */
  subject: EntityRef;
  /** The entity key that signed the request (answers are encrypted per docs/protocol.md §3.4 from it). */
  signingKey: KeyRecord;
  /** The decrypted JSON body, `{}` when the request had no body. */
  body: Record<string, unknown>;
  /** True when the request carried a body. */
  hasBody: boolean;
  /** Shortcut for `runtime.state`. */
  state: EmulatorState;
  runtime: EmulatorRuntime;
}

/** A handler's answer: the HTTP status and the JSON result (encrypted to the caller), or no body. */
export interface RouteResult {
  status: number;
  body?: unknown;
}

/** One row of the route table: a signed API route (`kind` absent or `'signed'`). */
export interface Route {
  kind?: 'signed';
  method: HttpMethod;
  /** Path pattern, e.g. `/service/v3/auths/:id`. */
  path: string;
  /** Types of `sub` this route accepts; a request for another type is answered 403. */
  subjectTypes: readonly EntityType[];
  handler(ctx: RouteContext): RouteResult | Promise<RouteResult>;
}

/** What a control route receives: path parameters, the query and the JSON body (`{}` when none was sent). */
export interface ControlRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

/** A control route's answer: JSON (status default 200), or raw bytes of a content type. */
export type ControlReply = { json: unknown; status?: number } | { raw: Buffer | string; contentType: string };

/** A route of the control API or the simulator page (under `/_emulator`, unsigned, plain JSON). */
export interface ControlRoute {
  kind: 'control';
  method: 'GET' | 'POST';
  path: string;
  handler(rt: EmulatorRuntime, req: ControlRequest): ControlReply | Promise<ControlReply>;
}

/** A public route (under `/public`, unsigned, GET only). */
export interface PublicRoute {
  kind: 'public';
  method: 'GET';
  path: string;
  handler(rt: EmulatorRuntime, params: Record<string, string>): ControlReply & { headers?: Record<string, string> };
}

/** Any row of the one route table. */
export type AnyRoute = Route | ControlRoute | PublicRoute;

/** Result of {@link Router.match}. */
export type RouteMatch<R extends AnyRoute = AnyRoute> =
  { route: R; params: Record<string, string> } | { route: null; pathKnown: boolean };

/** The one route table of the emulator: signed API routes, control routes and public routes. */
export class Router {
  private readonly routes: AnyRoute[] = [];

  /** Adds a route. Throws when the same method and path pattern is already registered. */
  add(route: AnyRoute): void {
    if (this.routes.some((r) => r.method === route.method && r.path === route.path)) {
      throw new Error(`route ${route.method} ${route.path} is already registered`);
    }
    this.routes.push(route);
  }

  /** Every registered route, in registration order. */
  list(): readonly AnyRoute[] {
    return this.routes;
  }

  /** Every registered signed API route, in registration order. */
  signedRoutes(): readonly Route[] {
    return this.routes.filter((r): r is Route => r.kind === undefined || r.kind === 'signed');
  }

  /** Finds the route for a method and a path; `pathKnown` tells whether another method would have matched. */
  match(method: string, path: string): RouteMatch {
    const segments = path.split('/');
    let pathKnown = false;
    for (const route of this.routes) {
      const params = matchPattern(route.path, segments);
      if (!params) continue;
      if (route.method === method) return { route, params };
      pathKnown = true;
    }
    return { route: null, pathKnown };
  }
}

/**
 * Matches a route pattern (`/a/:name/b`) against the `/`-split segments of a path: the URL-decoded values of the
 * `:name` segments (never empty), or null when the path does not match or a value is not valid percent-encoding.
 */
export function matchPattern(pattern: string, segments: readonly string[]): Record<string, string> | null {
  const parts = pattern.split('/');
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as string;
    const s = segments[i] as string;
    if (p.startsWith(':')) {
      if (s === '') return null;
      try {
        params[p.slice(1)] = decodeURIComponent(s);
      } catch {
        return null;
      }
    } else if (p !== s) {
      return null;
    }
  }
  return params;
}
