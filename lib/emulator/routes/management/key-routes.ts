/** The four public-key routes every key-holding entity has (docs/protocol.md §A2.6, §B6). */
import type { RouteContext } from '../../router';
import type { KeyRecord } from '../../state/types';
import { addKey, keyToWire, removeKey, updateKey } from './keys';
import type { Body } from '../params';
import type { AddRoute } from './route';

/** Finds the key list a request acts on (throwing the owner's lookup error, e.g. 403). */
export type KeysOf = (ctx: RouteContext, body: Body) => KeyRecord[];

/** Registers POST `path` (add), POST `path/list`, PATCH `path` (update) and DELETE `path` over `keysOf`'s list. */
export function addKeyRoutes(add: AddRoute, path: string, keysOf: KeysOf): void {
  add('POST', path, (ctx, body) => ({
    status: 201,
    body: { key_id: addKey(keysOf(ctx, body), body, ctx.runtime.clock.nowSeconds()) },
  }));
  add('POST', `${path}/list`, (ctx, body) => ({ status: 200, body: keysOf(ctx, body).map(keyToWire) }));
  add('PATCH', path, (ctx, body) => {
    updateKey(keysOf(ctx, body), body);
    return { status: 204 };
  });
  add('DELETE', path, (ctx, body) => {
    removeKey(keysOf(ctx, body), body);
    return { status: 204 };
  });
}
