import { isApp, toHandler } from "./app.ts";
import { describe, InvalidOptionError } from "./errors.ts";
import type { App, Context, Env, Handler } from "./types.ts";

// Own symbol properties of the Requests mount makes, not WeakMap entries: routers such as itty-router
// hand their handlers a Proxy of the Request, which forwards property reads but has its own identity.
// Symbol.for, so two copies of tsgi in one bundle agree.
/** The prefix a mounted Request was dispatched under, the way WSGI's SCRIPT_NAME rides with PATH_INFO. */
const PREFIX: unique symbol = Symbol.for("tsgi.mountPrefix");
/** The Request a mounted one was made from: a WebSocket upgrade needs the runtime's own object. */
const ORIGINAL: unique symbol = Symbol.for("tsgi.mountOriginal");

interface Mountable extends Request {
  [PREFIX]?: string;
  [ORIGINAL]?: Request;
}

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * The path with its percent-encoded unreserved characters decoded and other escapes in upper case
 * (RFC 3986 §6.2.2), so `/%61pi` and `/api` are one path to every prefix and guard.
 *
 * @example
 * canonicalPath("/%61pi/a%2fb"); // "/api/a%2Fb"
 */
export function canonicalPath(path: string): string {
  if (!path.includes("%")) return path;
  return path.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => {
    const char = String.fromCharCode(Number.parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

/**
 * The path prefix the application was mounted under: `""` at the root or outside `mount`, `"/api"`
 * under `mount({ "/api": app })`, `"/v1/api"` when mounts nest. Absolute links and redirects are this
 * plus the application's own path. Kept on the Request object, not in a header, so no client can forge it.
 *
 * @example
 * const login = new URL(`${mountPrefix(request)}/login`, request.url);
 * return Response.redirect(login, 303);
 */
export function mountPrefix(request: Request): string {
  return (request as Mountable)[PREFIX] ?? "";
}

function checkPrefix(prefix: string): string {
  const fail = (why: string): never => {
    throw new InvalidOptionError(`tsgi: mount prefix ${JSON.stringify(prefix)} ${why}`);
  };
  if (!prefix.startsWith("/")) fail('must start with "/"');
  if (prefix.length > 1 && prefix.endsWith("/")) fail('must not end with "/" (only the root "/" does)');
  if (/[?#]/.test(prefix)) fail("must be a path, without ? or #");
  if (prefix.includes("//")) fail("must not have an empty segment");
  if (prefix.split("/").some((segment) => segment === "." || segment === "..")) fail("must not have . or .. segments");
  return canonicalPath(new URL(prefix, "http://x").pathname);
}

interface Mounted<E> {
  prefix: string;
  handler: Handler<E>;
}

/** The path below `prefix` if it lies under it on a segment boundary (`/api` owns `/api/x`, not `/apix`). */
function below(path: string, prefix: string): string | undefined {
  if (prefix === "/") return path;
  if (!path.startsWith(prefix)) return undefined;
  if (path.length === prefix.length) return "/";
  return path.charCodeAt(prefix.length) === 47 ? path.slice(prefix.length) : undefined;
}

/** The request as the mounted application sees it: the same in all but its path. */
function rebase(request: Request, url: URL, prefix: string): Request {
  const inner = new Request(url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: request.signal,
    redirect: request.redirect,
    duplex: "half",
  } as RequestInit);
  Object.defineProperty(inner, PREFIX, { value: mountPrefix(request) + (prefix === "/" ? "" : prefix) });
  Object.defineProperty(inner, ORIGINAL, { value: (request as Mountable)[ORIGINAL] ?? request });
  return inner;
}

/** The same ctx, except that a WebSocket upgrade is asked of the runtime's own Request. */
function innerContext(ctx: Context): Context {
  const upgrade = ctx.upgradeWebSocket;
  if (upgrade === undefined) return ctx;
  return {
    runtime: ctx.runtime,
    remoteAddress: ctx.remoteAddress,
    props: ctx.props,
    platform: ctx.platform,
    waitUntil: (promise) => ctx.waitUntil(promise),
    passThroughOnException: () => ctx.passThroughOnException(),
    upgradeWebSocket: (request, options) => upgrade.call(ctx, (request as Mountable)[ORIGINAL] ?? request, options),
  };
}

/**
 * One application made of several, each under a URL prefix, as Rack::URLMap and WSGI's
 * SCRIPT_NAME/PATH_INFO do: the longest matching prefix wins, on segment boundaries, after
 * percent-encoding is made canonical; the mounted application sees the path below its prefix and learns
 * the prefix from `mountPrefix(request)`. No match gets 404.
 *
 * @example
 * export default mount({ "/api": honoApp, "/legacy": ittyRouter, "/": handler });
 */
export function mount<E = Env>(routes: Record<string, App<E>>): Handler<E> {
  if (typeof routes !== "object" || routes === null)
    throw new InvalidOptionError("tsgi: mount takes an object of prefix → application");
  const table: Mounted<E>[] = [];
  const seen = new Map<string, string>();
  for (const [given, app] of Object.entries(routes)) {
    const prefix = checkPrefix(given);
    if (seen.has(prefix))
      throw new InvalidOptionError(
        `tsgi: mount prefixes ${JSON.stringify(seen.get(prefix))} and ${JSON.stringify(given)} are the same path`,
      );
    const candidate: unknown = app;
    if (!isApp(candidate))
      throw new InvalidOptionError(
        `tsgi: mount ${JSON.stringify(given)} needs an application, got ${describe(candidate)}`,
      );
    seen.set(prefix, given);
    table.push({ prefix, handler: toHandler(app) });
  }
  table.sort((a, b) => b.prefix.length - a.prefix.length);

  return (request, env, ctx) => {
    const url = new URL(request.url);
    const path = canonicalPath(url.pathname);
    for (const { prefix, handler } of table) {
      const rest = below(path, prefix);
      if (rest === undefined) continue;
      // At the root with nothing to change, the request passes as it came.
      if (prefix === "/" && rest === url.pathname) return handler(request, env, ctx);
      url.pathname = rest;
      return handler(rebase(request, url, prefix), env, innerContext(ctx));
    }
    return new Response("Not Found\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  };
}
