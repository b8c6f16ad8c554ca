import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { toHandler } from "../src/app.ts";
import { callApp, clientError, errorResponse, internalServerError } from "../src/server/call-app.ts";
import { declaresTooLarge } from "../src/server/body-limit.ts";
import { ServerContext } from "../src/server/context.ts";
import { listeningServer } from "../src/server/graceful-close.ts";
import { LazySignalRequest } from "../src/server/lazy-signal-request.ts";
import { resolveOptions } from "../src/server/options.ts";
import { PendingWork } from "../src/server/pending-work.ts";
import { forwardedAddress } from "../src/server/remote-address.ts";
import type { App, Env, Server, ServeOptions } from "../src/types.ts";
import { answeredDirectly } from "./node-listener-direct.ts";
import { discardBody, hasBody, requestBody, requestHeaders, requestUrl, type NodeRequest } from "./node-request.ts";
import { writeResponse, type NodeResponse } from "./node-response.ts";
import { acceptUpgrade, attachWebSockets, closeWebSockets, upgradeWebSocketFor } from "./node-websocket.ts";

export { attachWebSockets } from "./node-websocket.ts";

/** `ctx.platform` on Node: the request and response objects of node:http (or https, http2). */
export interface NodePlatform {
  req: NodeRequest;
  res: NodeResponse;
}

/** A `(req, res)` listener that also tracks its `waitUntil` work, so its owner can wait for it. */
export interface NodeListener {
  (req: NodeRequest, res: NodeResponse): void;
  /** Resolves when every request it started and its `waitUntil` work are done. */
  settled(): Promise<void>;
  /** From now on responses close their connection instead of keeping it alive. */
  drain(): void;
}

/**
 * The application as a listener for node:http, node:https and node:http2 (compatibility API) servers,
 * and for any host that takes a `(req, res)` function.
 *
 * @example
 * import { createServer } from "node:http";
 * createServer(toNodeListener(app)).listen(3000);
 */
export function toNodeListener<E = Env>(
  app: App<E>,
  options: Omit<ServeOptions<E>, "port" | "hostname"> = {},
): NodeListener {
  const handler = toHandler(app);
  const { env, maxBodySize, trustProxy, onError } = resolveOptions(options);
  const work = new PendingWork(onError);
  let draining = false;

  // Requests in flight, counted rather than tracked as promises: close() waits for them to reach zero.
  let inFlight = 0;
  let idle: (() => void)[] = [];
  const leave = (): void => {
    if (--inFlight > 0 || idle.length === 0) return;
    const waiting = idle;
    idle = [];
    for (const resolve of waiting) resolve();
  };

  const listener = (req: NodeRequest, res: NodeResponse): void => {
    const method = req.method ?? "GET";
    if (draining && "shouldKeepAlive" in res) res.shouldKeepAlive = false;
    let request: LazySignalRequest | undefined;
    // request.signal fires when the client leaves before the whole response is sent, never after.
    res.once("close", () => {
      if (!res.writableFinished && request) LazySignalRequest.abort(request);
      discardBody(req);
    });
    try {
      if (declaresTooLarge(req.headers["content-length"], maxBodySize)) {
        return send(clientError(413, "Payload Too Large"));
      }
      const body = method !== "GET" && method !== "HEAD" && hasBody(req) ? requestBody(req, maxBodySize) : null;
      const headers = requestHeaders(req);
      // A GET leaves out what it does not need: undici checks every method it is given, even "GET".
      const init: RequestInit =
        method === "GET" ? { headers } : ({ method, headers, body, duplex: "half" } as RequestInit);
      request = new LazySignalRequest(requestUrl(req), init);
    } catch (error) {
      // A request that could not be read leaves the connection in doubt: answer, then close it.
      if ("shouldKeepAlive" in res) res.shouldKeepAlive = false;
      return send(errorResponse(error, undefined, onError));
    }
    const socketAddress = req.socket.remoteAddress;
    const remoteAddress = trustProxy ? (forwardedAddress(request.headers) ?? socketAddress) : socketAddress;
    const ctx = new ServerContext<NodePlatform>("node", remoteAddress, { req, res }, work, request);
    ctx.upgradeWebSocket = upgradeWebSocketFor(req);
    send(callApp(handler, request, env, ctx, onError));

    function send(response: Response | Promise<Response>): void {
      inFlight++;
      // callApp never rejects; a synchronous Response is written without waiting a tick.
      if (response instanceof Response) write(response);
      else void response.then(write);
    }
    function write(response: Response): void {
      // fromNodeListener's direct mode: the listener answers on res itself; this Response only stands for it.
      const direct = answeredDirectly(response);
      if (direct !== undefined) return void direct.then(finished, failed);
      // A response that started before close() and ends after it must not keep its connection alive.
      if (draining && !res.headersSent && "shouldKeepAlive" in res) res.shouldKeepAlive = false;
      const upgraded = (req as { upgrade?: boolean }).upgrade === true ? acceptUpgrade(req, res, response) : undefined;
      if (upgraded === undefined) return void writeResponse(res, response, method).then(finished, failed);
      // The socket belongs to the WebSocket now: a failed handshake is reported, never answered.
      upgraded.then(finished, (error: unknown) => {
        onError(error, request);
        finished();
      });
    }
    function failed(error: unknown): void {
      if (res.destroyed && !res.writableFinished) return finished();
      onError(error, request);
      if (res.headersSent) res.destroy();
      // Should even the fixed 500 be refused, the connection is cut rather than left unanswered.
      else {
        const cut = (): void => {
          res.destroy();
          finished();
        };
        return void writeResponse(res, internalServerError(), method).then(finished, cut);
      }
      finished();
    }
    function finished(): void {
      discardBody(req);
      leave();
    }
  };
  return Object.assign(listener, {
    settled: (): Promise<void> =>
      inFlight === 0 ? work.settled() : new Promise<void>((resolve) => idle.push(resolve)).then(() => work.settled()),
    drain: () => {
      draining = true;
    },
  });
}

/** Node's server with its listener attached, as `serve` builds it. */
export interface NodeServeOptions<E = Env> extends ServeOptions<E> {
  /** A server to attach to instead of a new node:http one (an https or http2 server, say). */
  server?: HttpServer;
  /** Milliseconds a client has to send the request headers (slowloris guard). Default 15 000. */
  headersTimeout?: number;
  /** Milliseconds a client has to send the whole request, body included; 0 for none. Default 300 000. */
  requestTimeout?: number;
  /** Milliseconds an idle keep-alive connection stays open. Default 5 000. */
  keepAliveTimeout?: number;
}

/**
 * Serves the application on node:http.
 *
 * @example
 * const server = await serve(app, { port: 3000 });
 * console.log(`listening on ${server.url}`);
 */
export async function serve<E = Env>(app: App<E>, options: NodeServeOptions<E> = {}): Promise<Server> {
  const { port, hostname, gracefulTimeout, reusePort } = resolveOptions(options);
  const listener = toNodeListener(app, options);
  const { headersTimeout = 15_000, requestTimeout = 300_000, keepAliveTimeout = 5_000 } = options;
  // Node checks the timeouts on an interval; a tighter one makes a short headersTimeout bite on time.
  const connectionsCheckingInterval = Math.min(30_000, Math.max(250, headersTimeout / 4));
  const server =
    options.server ?? createServer({ headersTimeout, requestTimeout, keepAliveTimeout, connectionsCheckingInterval });
  server.on("request", listener as (req: IncomingMessage, res: ServerResponse) => void);
  attachWebSockets(server, listener as (req: IncomingMessage, res: ServerResponse) => void);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port, host: hostname, reusePort }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return listeningServer({
    protocol: "setSecureContext" in server ? "https" : "http",
    hostname,
    port: (server.address() as AddressInfo).port,
    drain: () => {
      listener.drain();
      closeWebSockets(server);
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Connections whose last response ended during the drain are idle now: close them too.
      return listener.settled().then(() => {
        server.closeIdleConnections();
        return stopped;
      });
    },
    gracefulTimeout,
    force: () => server.closeAllConnections(),
  });
}
export {
  fromNodeListener,
  NodeListenerError,
  type NodeListenerOptions,
  type RequestListener,
} from "./node-listener.ts";
