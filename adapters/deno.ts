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
import { listHoldsHopByHop, withoutHopByHop } from "../src/server/hop-by-hop.ts";
import { forwardedAddress } from "../src/server/remote-address.ts";
import type { App, Env, Server, ServeOptions } from "../src/types.ts";
import { bodyUsedReader, headerListReader, requestHeaderReader } from "./deno-fields.ts";
import { upgradeWebSocket } from "./deno-websocket.ts";

// The few parts of Deno's API this adapter uses, typed here so that no Deno types leak into the public surface.

/** A listening or remote address as `Deno.serve` reports it (`Deno.NetAddr`, or a unix socket's). */
export interface DenoAddr {
  transport: string;
  hostname?: string;
  port?: number;
}

/** The second argument of a `Deno.serve` handler (`Deno.ServeHandlerInfo`). */
export interface DenoServeHandlerInfo {
  remoteAddr: DenoAddr;
  completed?: Promise<void>;
}

interface DenoHttpServer {
  shutdown(): Promise<void>;
}

interface DenoServeInit {
  port: number;
  hostname: string;
  reusePort: boolean;
  onListen(addr: DenoAddr): void;
  /** With both, Deno serves HTTPS and offers HTTP/2 through ALPN. */
  cert?: string;
  key?: string;
}

interface DenoNamespace {
  errors: { BadResource: new (...args: never[]) => Error };
  serve(
    init: DenoServeInit,
    handler: (request: Request, info: DenoServeHandlerInfo) => Response | Promise<Response>,
  ): DenoHttpServer;
}

/** `ctx.platform` on Deno: the connection info `Deno.serve` gives each request. */
export interface DenoPlatform {
  info: DenoServeHandlerInfo;
}

function denoNamespace(): DenoNamespace {
  const deno = (globalThis as typeof globalThis & { Deno?: DenoNamespace }).Deno;
  if (typeof deno?.serve !== "function")
    throw new UnsupportedRuntimeError("tsgi/deno: Deno.serve is not available; this adapter runs on Deno 2");
  return deno;
}

// Deno answers `connection: close` when the application left the request body unread: a small body is
// cheaper to read and drop than a new connection; for a larger one the reconnect is the cheaper side.
const DRAIN_LIMIT = 1024 * 1024;

function afterUnreadBody(request: Request, response: Response | Promise<Response>): Promise<Response> | Response {
  if (request.bodyUsed) return response;
  return Promise.resolve(response).then((answer) => {
    const body = request.body;
    if (body === null || body.locked || request.bodyUsed) return answer;
    return body.pipeTo(new WritableStream()).then(
      () => answer,
      () => answer,
    );
  });
}

// Over HTTP/2 Deno sends a HEAD response's body in DATA frames, which clients refuse as PROTOCOL_ERROR
// (RFC 9113 §8.1.1): with TLS, where Deno offers HTTP/2, a HEAD's body goes before Deno sees it.
function withoutBody(response: Response): Response {
  if (response.body === null) return response;
  response.body.cancel().catch(() => {});
  return new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers });
}

// Deno frees a request's headers once its response is sent, unless they were read by then: work that may
// outlive the response has them read as it is handed over, so it can still read them.
class DenoContext extends ServerContext<DenoPlatform> {
  override waitUntil(promise: Promise<unknown>): void {
    void this.request?.headers;
    super.waitUntil(promise);
  }
}

/**
 * Serves the application on `Deno.serve`, which already speaks fetch: the adapter adds only `ctx`, the
 * body limit, error handling and a graceful close that waits for `waitUntil` work.
 *
 * @example
 * import { serve } from "tsgi/deno";
 * const server = await serve(app, { port: 3000 });
 * console.log(`listening on ${server.url}`);
 */
export async function serve<E = Env>(app: App<E>, options: ServeOptions<E> = {}): Promise<Server> {
  const deno = denoNamespace();
  const handler = traced(toHandler(app));
  const { port, hostname, env, maxBodySize, trustProxy, onError, gracefulTimeout, reusePort, tls } =
    resolveOptions(options);
  if (tls?.passphrase !== undefined || (tls && /ENCRYPTED/.test(tls.key)))
    throw new InvalidOptionError("tsgi/deno: Deno.serve takes no passphrase: give it the key decrypted (openssl pkey)");
  const protocol = tls ? "https" : "http";
  const work = new PendingWork(onError);
  // Deno fails the body read with BadResource when the client broke the upload off: the client's doing.
  const brokenOff = (error: unknown, request: Request): boolean =>
    request.bodyUsed && error instanceof deno.errors.BadResource;

  // Deno writes a Response's headers as they are: hop-by-hop ones (from `fetch(upstream)`, say) go here.
  // The header list Deno keeps says whether there are any without spoiling its fast path for the answer.
  const headerList = headerListReader();
  const wire = (response: Response): Response => {
    const list = headerList?.(response);
    return list !== undefined && !listHoldsHopByHop(list) ? response : withoutHopByHop(response);
  };
  const hooks = { brokenOff, finish: wire, bodyUsed: bodyUsedReader() };
  // withoutBody for a HEAD over TLS, in the same last step as wire.
  const headHooks = { ...hooks, finish: (response: Response) => withoutBody(wire(response)) };

  // Deno pastes the Host into request.url unchecked: admitRequest checks it, read without building the Headers.
  const headerOf = requestHeaderReader();
  // The server's own URL, for requests that name no Host (HTTP/1.0); known once Deno listens.
  let base = "";
  const fetch = (request: Request, info: DenoServeHandlerInfo): Response | Promise<Response> => {
    const method = request.method;
    // Read once: the body limit and the drain below both go by it.
    const length = method === "GET" || method === "HEAD" ? null : headerOf(request, "content-length");
    try {
      request = admitRequest(request, maxBodySize, base, headerOf, length);
    } catch (error) {
      return errorResponse(error, request, onError);
    }
    const declared = Number(length);
    const given = request;
    const remoteAddress = () => (trustProxy && forwardedAddress(given.headers)) || info.remoteAddr.hostname;
    const ctx = new DenoContext("deno", remoteAddress, { info }, work, given);
    ctx.upgradeWebSocket = upgradeWebSocket;
    const response = callApp(handler, given, env, ctx, onError, tls && method === "HEAD" ? headHooks : hooks);
    return declared > 0 && declared <= DRAIN_LIMIT ? afterUnreadBody(given, response) : response;
  };

  let listening!: (addr: DenoAddr) => void;
  const listened = new Promise<DenoAddr>((resolve) => (listening = resolve));
  // A no-op onListen keeps Deno from printing its own "Listening on" line.
  let server: DenoHttpServer;
  try {
    server = deno.serve(
      {
        port,
        hostname,
        reusePort,
        onListen: (addr) => {
          base = serverUrl(protocol, hostname, addr.port ?? port);
          listening(addr);
        },
        ...(tls && { cert: tls.cert, key: tls.key }),
      },
      fetch,
    );
  } catch (error) {
    // Deno checks the certificate and key as it starts: a bad pair is an option error, not a listen error.
    throw tlsFailure(error);
  }
  const addr = await listened;
  return listeningServer({
    protocol,
    hostname,
    port: addr.port ?? port,
    // Deno's shutdown stops accepting and waits for the responses in flight; it has no forced variant,
    // so past the deadline close() stops waiting and the process's exit cuts what is left.
    drain: () => server.shutdown().then(() => work.settled()),
    gracefulTimeout,
    force: () => {},
  });
}
