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
  if (!isApp(app)) throw new TypeError(`tsgi: expected an application (a function or an object with fetch), got ${describe(app)}`);
  return (request, env, ctx) => app.fetch(request, env, ctx);
}

/** A short, safe description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ? `a ${value.constructor.name}` : "an object";
  return typeof value === "undefined" ? "undefined" : `a ${typeof value}`;
}
