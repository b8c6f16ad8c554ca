import { toHandler } from "../src/app.ts";
import { traced } from "../src/server/tracing.ts";
import { admitRequest } from "../src/server/admit-request.ts";
import { callApp, errorResponse } from "../src/server/call-app.ts";
import { ServerContext } from "../src/server/context.ts";
import { listeningServer } from "../src/server/graceful-close.ts";
import { InvalidOptionError, UnsupportedRuntimeError } from "../src/errors.ts";
import { resolveOptions, serverUrl } from "../src/server/options.ts";
import { tlsFailure } from "../src/server/tls.ts";
import { PendingWork } from "../src/server/pending-work.ts";
import { namesHoldHopByHop, withoutHopByHop } from "../src/server/hop-by-hop.ts";
import { forwardedAddress } from "../src/server/remote-address.ts";
import type { App, Env, Server, ServeOptions } from "../src/types.ts";
import { prepareUpgrade, upgradeOf } from "../src/server/websocket-upgrade.ts";
import { bunWebSockets, finishUpgrade, type BunUpgradingServer, type BunWebSockets } from "./bun-websocket.ts";

// The few parts of Bun's API this adapter uses, typed here so that no Bun types leak into the public surface.

/** The server `Bun.serve` returns, as far as `ctx.platform.server` users can rely on it through tsgi. */
export interface BunServer extends BunUpgradingServer {
  readonly port: number;
  readonly hostname: string;
  readonly pendingRequests: number;
  requestIP(request: Request): { address: string; family: string; port: number } | null;
  timeout(request: Request, seconds: number): void;
  stop(closeActiveConnections?: boolean): Promise<void>;
}

interface BunServeInit {
  port: number;
  hostname: string;
  reusePort: boolean;
  idleTimeout: number;
  maxRequestBodySize: number;
  fetch(request: Request, server: BunServer): Response | undefined | Promise<Response | undefined>;
  websocket: BunWebSockets["handlers"];
  tls?: { cert: string; key: string; passphrase?: string };
}

interface BunNamespace {
  serve(init: BunServeInit): BunServer;
}

/** Bun's Headers, which say how many fields they hold (`Headers.count` in Bun's docs). */
interface CountedHeaders extends Headers {
  readonly count?: number;
}

/** `ctx.platform` on Bun: the server, for `requestIP`, `timeout` and the like. */
export interface BunPlatform {
  server: BunServer;
}

/** Options of the Bun adapter: those of every `serve`, and Bun's connection idle timeout. */
export interface BunServeOptions<E = Env> extends ServeOptions<E> {
  /**
   * Seconds a connection may stay silent before Bun closes it, 0 for never. Default 255, Bun's maximum:
   * Bun's own 10 s would cut a streamed response (or a slow handler) that pauses longer.
   */
  idleTimeout?: number;
}

function bunNamespace(): BunNamespace {
  const bun = (globalThis as typeof globalThis & { Bun?: BunNamespace }).Bun;
  if (typeof bun?.serve !== "function")
    throw new UnsupportedRuntimeError("tsgi/bun: Bun.serve is not available; this adapter runs on Bun 1.x");
  return bun;
}

/**
 * Serves the application on `Bun.serve`, which already speaks fetch: the adapter adds only `ctx`, the
 * body limit, error handling and a graceful close that waits for `waitUntil` work.
 *
 * @example
 * import { serve } from "tsgi/bun";
 * const server = await serve(app, { port: 3000 });
 * console.log(`listening on ${server.url}`);
 */
export async function serve<E = Env>(app: App<E>, options: BunServeOptions<E> = {}): Promise<Server> {
  const bun = bunNamespace();
  const handler = traced(toHandler(app));
  const { port, hostname, env, maxBodySize, trustProxy, onError, gracefulTimeout, reusePort, tls } =
    resolveOptions(options);
  const protocol = tls ? "https" : "http";
  const { idleTimeout = 255 } = options;
  if (!Number.isInteger(idleTimeout) || idleTimeout < 0 || idleTimeout > 255) {
    throw new InvalidOptionError(
      `tsgi: idleTimeout must be whole seconds from 0 to 255 (Bun's range), got ${String(idleTimeout)}`,
    );
  }
  const work = new PendingWork(onError);
  const sockets = bunWebSockets();
  // Bun fails the body read with an AbortError when the client broke the upload off: the client's doing.
  const brokenOff = (error: unknown, request: Request): boolean =>
    request.bodyUsed && error instanceof DOMException && error.name === "AbortError";

  // Bun writes a Response's headers as they are: hop-by-hop ones (from `fetch(upstream)`, say) go here.
  // Bun's Headers counts its fields: none, as in a plain `new Response(text)`, needs no lookups; a lone
  // Content-Type (Response.json's) one; one or two others a pass over the names, half the time of seven lookups.
  const wire = (response: Response): Response => {
    const headers: CountedHeaders = response.headers;
    const count = headers.count;
    if (count === 0 || (count === 1 && headers.has("content-type"))) return response;
    if (count === undefined || count > 2) return withoutHopByHop(response);
    return namesHoldHopByHop(headers.keys()) ? withoutHopByHop(response) : response;
  };

  // The server's own URL, for requests that name no Host (HTTP/1.0); set once Bun listens, before any request.
  let base = "";
  const fetch = (request: Request, server: BunServer): Response | undefined | Promise<Response | undefined> => {
    // requestIP costs about 3 µs, so it is asked only if the application reads ctx.remoteAddress, and of
    // the Request Bun made: the body limit may rebuild it.
    const native = request;
    const remoteAddress = () => (trustProxy && forwardedAddress(native.headers)) || server.requestIP(native)?.address;
    try {
      request = admitRequest(request, maxBodySize, base);
    } catch (error) {
      return errorResponse(error, request, onError);
    }
    const ctx = new ServerContext<BunPlatform>("bun", remoteAddress, { server }, work, request);
    // Bun answers an upgrade with no Response: the placeholder only tells finishUpgrade to upgrade.
    ctx.upgradeWebSocket = prepareUpgrade;
    // Only the response ctx.upgradeWebSocket made is marked; Bun then wants the upgrade and no Response.
    const send = (answer: Response) =>
      upgradeOf(answer) === undefined ? wire(answer) : finishUpgrade(server, native, answer);
    return callApp(handler, request, env, ctx, onError, { brokenOff, finish: send });
  };

  // Bun's own limit cuts the connection while the client still uploads, which it sees as EPIPE, not 413:
  // tsgi's check answers first, the same way on every runtime.
  const init: BunServeInit = {
    port,
    hostname,
    reusePort,
    idleTimeout,
    maxRequestBodySize: Number.MAX_SAFE_INTEGER,
    fetch,
    websocket: sockets.handlers,
  };
  let server: BunServer;
  try {
    server = bun.serve(tls ? { ...init, tls } : init);
  } catch (error) {
    // Bun checks the certificate and key as it starts: a bad pair is an option error, not a listen error.
    throw tlsFailure(error);
  }
  base = serverUrl(protocol, hostname, server.port);
  return listeningServer({
    protocol,
    hostname,
    port: server.port,
    // stop() refuses new connections and resolves once the requests in flight are answered; open
    // WebSockets are told 1001 Going Away first, as they would otherwise hold it open.
    drain: () => {
      sockets.closeAll();
      return server.stop().then(() => work.settled());
    },
    gracefulTimeout,
    force: () => server.stop(true),
  });
}
