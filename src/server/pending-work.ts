import type { ErrorReporter } from "../types.ts";

/**
 * Tracks `waitUntil` promises and requests in flight, so that a graceful close can wait for both
 * (SPEC.md §4.6). A rejected `waitUntil` promise is reported, never thrown.
 */
export class PendingWork {
  #pending = new Set<Promise<unknown>>();
  #idle: (() => void)[] = [];
  readonly #onError: ErrorReporter;

  constructor(onError: ErrorReporter) {
    this.#onError = onError;
  }

  /** How many promises are still running. */
  get size(): number {
    return this.#pending.size;
  }

  /** Track a promise; its rejection goes to `onError` with the request it belongs to. */
  add(promise: Promise<unknown>, request?: Request): void {
    const tracked: Promise<unknown> = Promise.resolve(promise)
      .catch((error: unknown) => this.#onError(error, request))
      .finally(() => this.#settle(tracked));
    this.#pending.add(tracked);
  }

  /** Resolves once nothing is pending, including work added while waiting. */
  settled(): Promise<void> {
    if (this.#pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #settle(tracked: Promise<unknown>): void {
    this.#pending.delete(tracked);
    if (this.#pending.size > 0) return;
    const waiting = this.#idle;
    this.#idle = [];
    for (const resolve of waiting) resolve();
  }
}
