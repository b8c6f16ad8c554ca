import { describe, NotAnApplicationError } from "./errors.ts";
import type { App, Env, Handler } from "./types.ts";

/** True for what SPEC.md §3.1 calls an application: a function, or an object whose `fetch` is one. */
export function isApp(value: unknown): value is App {
  if (typeof value === "function") return true;
  return typeof value === "object" && value !== null && typeof (value as { fetch?: unknown }).fetch === "function";
}

/**
 * The application as a plain handler, whichever form it came in.
 *
 * @example
 * const handler = toHandler(honoApp);
 * const response = await handler(new Request("http://x/"), {}, ctx);
 */
export function toHandler<E = Env>(app: App<E>): Handler<E> {
  if (typeof app === "function") return app;
  if (!isApp(app)) throw new NotAnApplicationError(describe(app));
  return (request, env, ctx) => app.fetch(request, env, ctx);
}
