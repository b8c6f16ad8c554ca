// The Cloudflare Workers adapter: a module worker's default export. workerd already speaks Request and
// Response, so this only builds the tsgi ctx and turns failures into a reported 500. It stays tiny on
// purpose (it ships in every Worker bundle): no imports beyond types, no process env handling, and
// WebSockets only when asked for (`upgradeWebSocket` option), so a Worker without them does not carry them.
import type { App, Context, Env, ErrorReporter, Handler, UpgradeWebSocketOptions, WebSocketUpgrade } from "../src/types.ts";

export { upgradeWebSocket } from "./cloudflare-websocket.ts";

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
  /**
   * Gives the application `ctx.upgradeWebSocket`: pass this module's `upgradeWebSocket`. Opt-in because it
   * adds about 1.9 KB gzipped to the Worker; without it `ctx.upgradeWebSocket` is undefined.
   */
  upgradeWebSocket?: (request: Request, options?: UpgradeWebSocketOptions) => WebSocketUpgrade;
}

/** A module worker: what `export default` of a Worker's entry module is. */
export interface ModuleWorker<E = Env> {
  fetch(request: Request, env: E, ctx: ExecutionContext): Promise<Response>;
}

/** tsgi's ctx over the Worker's own: one small object per request, its methods on the prototype. */
class WorkerContext implements Context<WorkerPlatform> {
  readonly runtime = "workerd";
  // `declare`: assigned in the constructor, so the bundle need not list them as class fields too.
  declare readonly remoteAddress: string | undefined;
  declare readonly platform: WorkerPlatform;
  declare readonly props: Record<string, unknown>;
  declare readonly upgradeWebSocket: WorkerOptions["upgradeWebSocket"];
  /** Set once the application asked for pass-through: then its errors go to workerd, not to a 500. */
  declare passing?: true;
  readonly #request: Request;
  readonly #onError: ErrorReporter;

  constructor(request: Request, ctx: ExecutionContext, onError: ErrorReporter, upgradeWebSocket: WorkerOptions["upgradeWebSocket"]) {
    // CF-Connecting-IP is set by Cloudflare's edge (and Miniflare) and cannot be forged by the client.
    this.remoteAddress = request.headers.get("cf-connecting-ip") ?? undefined;
    this.platform = { ctx };
    this.props = ctx.props ?? {};
    this.upgradeWebSocket = upgradeWebSocket;
    this.#request = request;
    this.#onError = onError;
  }

  waitUntil(promise: Promise<unknown>): void {
    // The Worker's own waitUntil keeps the isolate alive; the catch makes a failure a report, not an unhandled rejection.
    this.platform.ctx.waitUntil(Promise.resolve(promise).catch((error: unknown) => this.#onError(error, this.#request)));
  }

  passThroughOnException(): void {
    this.passing = true;
    this.platform.ctx.passThroughOnException();
  }
}

/** The default `onError`: one line with the request it belongs to, then the error, in the Worker's logs. */
const logError: ErrorReporter = (error, request) => console.error(`tsgi: application error (${request?.method} ${request?.url}):`, error);

/**
 * The application as a module worker: `export default toWorker(app)` is a complete Worker entry.
 * The application gets the Worker's own Request (with `request.cf`), its bindings as `env`, and a ctx
 * whose `waitUntil` and `passThroughOnException` are the Worker's.
 *
 * @example
 * import { toWorker } from "tsgi/cloudflare";
 * import app from "./app.ts";
 * export default toWorker(app); // with WebSockets: toWorker(app, { upgradeWebSocket })
 */
export function toWorker<E = Env>(app: App<E>, options: WorkerOptions = {}): ModuleWorker<E> {
  // bind, not a wrapper: an object without fetch then fails when the Worker loads, not on every request.
  const handler: Handler<E, WorkerPlatform> = typeof app === "function" ? app : app.fetch.bind(app);
  const { onError = logError, maxBodySize = Infinity, upgradeWebSocket } = options;
  // src/call-app.ts's work, written inline: importing it adds 553 bytes gzipped, over the Worker budget
  // (bench/worker-size.ts); workerd itself refuses a Response whose body was already used.
  return {
    async fetch(request, env, workerCtx) {
      const ctx = new WorkerContext(request, workerCtx, onError, upgradeWebSocket);
      try {
        if (Number(request.headers.get("content-length")) > maxBodySize) return new Response("Payload Too Large", { status: 413 });
        const response: unknown = await handler(request, env, ctx);
        if (response instanceof Response) return response;
        throw new TypeError(`tsgi: application returned ${typeof response}, not a Response`);
      } catch (error) {
        // Rethrown, the Workers runtime forwards the request to the origin (passThroughOnException docs).
        if (ctx.passing) throw error;
        onError(error, request);
        return new Response("Internal Server Error", { status: 500 });
      }
    },
  };
}
