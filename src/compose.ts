import type { Env, Middleware } from "./types.ts";

/**
 * Middleware applied in reading order: the first one listed sees the request first.
 *
 * @example
 * const app = compose(lint(), logger)(handler);
 */
export function compose<E = Env>(...middleware: Middleware<E>[]): Middleware<E> {
  return (handler) => middleware.reduceRight((next, wrap) => wrap(next), handler);
}
