import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { toHandler } from "../src/app.ts";
import { traced } from "../src/server/tracing.ts";
import { listeningServer } from "../src/server/graceful-close.ts";
import { installFastGlobals } from "../src/server/fast/globals.ts";
import { resolveOptions } from "../src/server/options.ts";
import { PendingWork } from "../src/server/pending-work.ts";
import type { App, Env, Server, ServeOptions } from "../src/types.ts";
import { exchange, Exchanges } from "./node-exchange.ts";
import type { NodeRequest } from "./node-request.ts";
import type { NodeResponse } from "./node-response.ts";
import { nodeServer } from "./node-server.ts";
import { keepYoungPagesWhenIdle } from "./node-young-pages.ts";
import { attachWebSockets, closeWebSockets } from "./node-websocket.ts";

export { attachWebSockets } from "./node-websocket.ts";

export type { NodePlatform } from "./node-exchange.ts";

/** A `(req, res)` listener that also tracks its `waitUntil` work, so its owner can wait for it. */
export interface NodeListener {
  (req: NodeRequest, res: NodeResponse): void;
  /** Resolves when every request it started and its `waitUntil` work are done. */
  settled(): Promise<void>;
  /** From now on responses close their connection instead of keeping it alive. */
  drain(): void;
}

/** Options of `toNodeListener`: those of `serve` that do not concern listening. */
export interface NodeListenerOptions<E = Env> extends Omit<ServeOptions<E>, "port" | "hostname"> {
  /**
   * Put tsgi's lightweight `Request`, `Response` and `Headers` in the process's globals (and a `fetch`
   * that takes them), for about twice the requests per second; see docs/performance.md. Default false.
   */
  fastGlobals?: boolean;
}

/**
 * The application as a listener for node:http, node:https and node:http2 (compatibility API) servers,
 * and for any host that takes a `(req, res)` function.
 *
 * @example
 * import { createServer } from "node:http";
 * createServer(toNodeListener(app)).listen(3000);
 */
export function toNodeListener<E = Env>(app: App<E>, options: NodeListenerOptions<E> = {}): NodeListener {
  const fast = options.fastGlobals === true;
  if (fast) {
    installFastGlobals();
    keepYoungPagesWhenIdle();
  }
  const { env, maxBodySize, trustProxy, onError } = resolveOptions(options);
  const work = new PendingWork(onError);
  const handler = traced(toHandler(app));
  const exchanges = new Exchanges({ handler, env, onError, maxBodySize, trustProxy, work, fast });
  const listener = (req: NodeRequest, res: NodeResponse): void => exchange(exchanges, req, res);
  return Object.assign(listener, {
    settled: (): Promise<void> => exchanges.settled(),
    drain: () => {
      exchanges.draining = true;
    },
  });
}

/** Node's server with its listener attached, as `serve` builds it. */
export interface NodeServeOptions<E = Env> extends ServeOptions<E>, NodeListenerOptions<E> {
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
 * Serves the application on node:http; with `tls`, on node:http2's secure server, which offers HTTP/2
 * through ALPN and HTTP/1.1 on the same port.
 *
 * @example
 * const server = await serve(app, { port: 3000 });
 * console.log(`listening on ${server.url}`);
 */
export async function serve<E = Env>(app: App<E>, options: NodeServeOptions<E> = {}): Promise<Server> {
  const { port, hostname, gracefulTimeout, reusePort, tls } = resolveOptions(options);
  const listener = toNodeListener(app, options);
  const { headersTimeout = 15_000, requestTimeout = 300_000, keepAliveTimeout = 5_000 } = options;
  const { server, closeIdle, closeAll } = nodeServer(options.server, tls, {
    headersTimeout,
    requestTimeout,
    keepAliveTimeout,
  });
  server.on("request", listener as (req: IncomingMessage, res: ServerResponse) => void);
  // An https server's HTTP/1.1 side: node:http2 hands its upgrade requests to the same `upgrade` event.
  attachWebSockets(server as HttpServer, listener as (req: IncomingMessage, res: ServerResponse) => void);
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
      closeWebSockets(server as HttpServer);
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      closeIdle();
      // Connections whose last response ended during the drain are idle now: close them too.
      return listener.settled().then(() => {
        closeIdle();
        return stopped;
      });
    },
    gracefulTimeout,
    force: closeAll,
  });
}
export {
  fromNodeListener,
  NodeListenerError,
  type FromNodeListenerOptions,
  type RequestListener,
} from "./node-listener.ts";
