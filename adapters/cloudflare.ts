// The Cloudflare Workers adapter: a module worker's default export. workerd already speaks Request and
// Response, so this only builds the tsgi ctx and turns failures into a reported 500. It stays small on
// purpose, as it ships in every Worker bundle with its WebSockets (bench/worker-size.ts): no process env
// handling, src/call-app.ts's work written inline, and a WebSocket socket written for workerd alone.
import { unsendable } from "../src/errors.ts";
import type { App, Context, Env, ErrorReporter, Handler } from "../src/types.ts";
import { upgradeWebSocket } from "./cloudflare-websocket.ts";

/** The part of the Worker's own `ExecutionContext` the adapter uses (Workers runtime API docs). */
export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
  /** Set by the caller of a service binding or by `ctx.exports`; absent on older runtimes. */
  readonly props?: Record<string, unknown>;
}

/** `ctx.platform` on workerd: the Worker's own `ExecutionContext`. */
export interface WorkerPlatform {
  ctx: ExecutionContext;
}

/** What `toWorker` takes besides the application. */
export interface WorkerOptions {
  /** Called with every error the application throws, or a `waitUntil` promise rejects with. Default: `console.error`. */
  onError?: ErrorReporter;
  /**
   * Largest declared `Content-Length` before the request is answered 413. Default: none, the Workers
   * platform enforces the account's own limit. Streamed bodies are left to the platform.
   */
  maxBodySize?: number;
}

/** A module worker: what `export default` of a Worker's entry module is. */
export interface ModuleWorker<E = Env> {
  fetch(request: Request, env: E, ctx: ExecutionContext): Promise<Response>;
}

/** A plain-text answer of the adapter's own, typed as src/call-app.ts types its 413 and 500. */
const plainText = (body: string, status: number): Response =>
  new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

/**
 * The Response without the hop-by-hop fields workerd itself passes on: `Proxy-Connection` and the names
 * `Connection` lists (workerd drops the others), so `return fetch(upstream)` sends none of them.
 */
function framed(response: Response): Response {
  const { headers, status } = response;
  const listed = headers.get("connection");
  if (status === 101 || (listed === null && !headers.has("proxy-connection"))) return response;
  const kept = new Headers(headers);
  // An empty name (no Connection, a stray comma) deletes Proxy-Connection once more: a no-op.
  for (const name of `proxy-connection,${listed ?? ""}`.split(",")) kept.delete(name.trim() || "proxy-connection");
  return new Response(response.body, { status, statusText: response.statusText, headers: kept });
}

/** The default `onError`: one line with the request it belongs to, then the error, in the Worker's logs. */
const logError: ErrorReporter = (error, request) =>
  console.error(`tsgi: application error (${request?.method} ${request?.url}):`, error);

/**
 * The application as a module worker: `export default toWorker(app)` is a complete Worker entry.
 * The application gets the Worker's own Request (with `request.cf`), its bindings as `env`, and a ctx
 * whose `waitUntil` and `passThroughOnException` are the Worker's, and whose `upgradeWebSocket` is always there.
 *
 * @example
 * import { toWorker } from "tsgi/cloudflare";
 * import app from "./app.ts";
 * export default toWorker(app); // ctx.upgradeWebSocket included, no option needed
 */
export function toWorker<E = Env>(app: App<E>, options: WorkerOptions = {}): ModuleWorker<E> {
  // bind, not a wrapper: an object without fetch then fails when the Worker loads, not on every request.
  const handler: Handler<E, WorkerPlatform> = typeof app === "function" ? app : app.fetch.bind(app);
  const { onError = logError, maxBodySize = Infinity } = options;
  // src/call-app.ts's work, written inline: importing it adds 553 bytes gzipped (bench/worker-size.ts).
  return {
    async fetch(request, env, workerCtx) {
      // Set once the application asked for pass-through: then its errors go to workerd, not to a 500.
      let passing = false;
      const ctx: Context<WorkerPlatform> = {
        runtime: "workerd",
        // CF-Connecting-IP is set by Cloudflare's edge (and Miniflare) and cannot be forged by the client.
        remoteAddress: request.headers.get("cf-connecting-ip") ?? undefined,
        platform: { ctx: workerCtx },
        props: workerCtx.props ?? {},
        // The Worker's own waitUntil keeps the isolate alive; the catch makes a failure a report, not an unhandled rejection.
        waitUntil: (promise) =>
          workerCtx.waitUntil(Promise.resolve(promise).catch((error: unknown) => onError(error, request))),
        passThroughOnException() {
          passing = true;
          workerCtx.passThroughOnException();
        },
        upgradeWebSocket,
      };
      try {
        if (Number(request.headers.get("content-length")) > maxBodySize) return plainText("Payload Too Large", 413);
        const response: unknown = await handler(request, env, ctx);
        // Checked here: workerd would answer Response.error() or a used body with its own TypeError's text.
        const error = unsendable(response);
        if (error) throw error;
        return framed(response as Response);
      } catch (error) {
        // Rethrown, the Workers runtime forwards the request to the origin (passThroughOnException docs).
        if (passing) throw error;
        onError(error, request);
        return plainText("Internal Server Error", 500);
      }
    },
  };
}
