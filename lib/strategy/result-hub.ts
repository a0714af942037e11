/**
 * Wakes requests waiting for a login result: one store subscription per strategy (made on first use), fanned out
 * in process to the waiters of each authorization request.
 */
import { fromStore } from './errors';
import type { LoginResult, TruValidateStore } from './stores/store';

/** A registered wait: `promise` resolves with the result when published, or null on `cancel()`. */
export interface ResultWait {
  promise: Promise<LoginResult | null>;
  cancel(): void;
}

/** The in-process fan-out of the store's published results. */
export class ResultHub {
  private readonly waiters = new Map<string, Set<(result: LoginResult | null) => void>>();
  private subscription: Promise<() => Promise<void>> | null = null;

  constructor(private readonly store: TruValidateStore) {}

  /** Subscribes to the store once; rejects (typed, fail closed) when the store cannot subscribe. */
  async ready(): Promise<void> {
    if (!this.subscription) {
      this.subscription = this.store.subscribe((id, result) => this.publish(id, result));
      this.subscription.catch(() => {
        this.subscription = null;
      });
    }
    const subscription = this.subscription;
    await fromStore('subscribe', () => subscription);
  }

  /** Registers a waiter for `authRequestId` (before checking the store, so that no result is missed). */
  wait(authRequestId: string): ResultWait {
    let resolver: (result: LoginResult | null) => void = () => undefined;
    const promise = new Promise<LoginResult | null>((resolve) => {
      resolver = resolve;
    });
    let set = this.waiters.get(authRequestId);
    if (!set) {
      set = new Set();
      this.waiters.set(authRequestId, set);
    }
    set.add(resolver);
    const remove = (): void => {
      const s = this.waiters.get(authRequestId);
      s?.delete(resolver);
      if (s && s.size === 0) this.waiters.delete(authRequestId);
    };
    return {
      promise: promise.finally(remove),
      cancel: () => {
        remove();
        resolver(null);
      },
    };
  }

  private publish(authRequestId: string, result: LoginResult): void {
    const set = this.waiters.get(authRequestId);
    if (!set) return;
    for (const resolve of [...set]) resolve(result);
  }

  /** Unsubscribes from the store and releases every waiter. */
  async close(): Promise<void> {
    for (const set of this.waiters.values()) for (const resolve of [...set]) resolve(null);
    this.waiters.clear();
    const sub = this.subscription;
    this.subscription = null;
    if (sub) {
      try {
        await (
          await sub
        )();
      } catch {
        // the store is going away too
      }
    }
  }
}
