// The server `serve` from tsgi/node listens on: node:http, or with `tls` node:http2's secure server, which
// offers HTTP/2 through ALPN and serves HTTP/1.1 on the same port to clients without it (allowHTTP1).
import { createServer, type Server as HttpServer } from "node:http";
import { createSecureServer, type Http2SecureServer, type ServerHttp2Session } from "node:http2";
import type { Socket } from "node:net";
import { InvalidOptionError } from "../src/errors.ts";
import { tlsFailure } from "../src/server/tls.ts";
import type { TlsOptions } from "../src/types.ts";

/** node:http's timeouts, which serve HTTP/1.1 on either server. */
export interface NodeTimeouts {
  headersTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
}

/** A node:http or node:http2 server, with the connection handling a graceful close needs from either. */
export interface NodeServer {
  server: HttpServer | Http2SecureServer;
  /** Closes idle connections; an HTTP/2 session is told GOAWAY and closes once its streams are done. */
  closeIdle(): void;
  /** Cuts every connection. */
  closeAll(): void;
}

/**
 * The server to listen on: `given` as it is, else node:http, or node:http2's secure server with `tls`.
 *
 * @example
 * const { server, closeIdle, closeAll } = nodeServer(undefined, tls, { headersTimeout, requestTimeout, keepAliveTimeout });
 */
export function nodeServer(
  given: HttpServer | undefined,
  tls: TlsOptions | undefined,
  timeouts: NodeTimeouts,
): NodeServer {
  // Node checks the timeouts on an interval; a tighter one makes a short headersTimeout bite on time.
  const connectionsCheckingInterval = Math.min(30_000, Math.max(250, timeouts.headersTimeout / 4));
  if (tls !== undefined && given !== undefined)
    throw new InvalidOptionError("tsgi/node: give server or tls, not both: your own server brings its own certificate");
  if (tls !== undefined) return secureServer(tls, { ...timeouts, connectionsCheckingInterval });
  const server = given ?? createServer({ ...timeouts, connectionsCheckingInterval });
  return { server, closeIdle: () => server.closeIdleConnections(), closeAll: () => server.closeAllConnections() };
}

function secureServer(tls: TlsOptions, settings: NodeTimeouts & { connectionsCheckingInterval: number }): NodeServer {
  let created: Http2SecureServer;
  try {
    created = createSecureServer({ ...tls, allowHTTP1: true });
  } catch (error) {
    throw tlsFailure(error);
  }
  // HTTP/1.1 on this server is node:http's own connection handling, which reads its timeouts from the server.
  const server = Object.assign(created, settings);
  const sockets = new Set<Socket>();
  const sessions = new Set<ServerHttp2Session>();
  let closing = false;
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  server.on("session", (session: ServerHttp2Session) => {
    // A session whose handshake ended after close() began must not keep the server open.
    if (closing) return void session.close();
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
    closeWhenIdle(session, settings.keepAliveTimeout);
  });
  return {
    server,
    closeIdle: () => {
      closing = true;
      for (const session of sessions) session.close();
      // node:http2 does not declare the HTTP/1.1 side's closeIdleConnections, but has it (Node 22 and 24).
      if ("closeIdleConnections" in server && typeof server.closeIdleConnections === "function")
        server.closeIdleConnections();
    },
    closeAll: () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}

/** An HTTP/2 session with no open stream for `ms` gets GOAWAY, as an idle keep-alive connection would close. */
function closeWhenIdle(session: ServerHttp2Session, ms: number): void {
  if (!(ms > 0)) return;
  let open = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (): void => {
    timer = setTimeout(() => session.close(), ms);
    timer.unref();
  };
  session.on("stream", (stream) => {
    open++;
    clearTimeout(timer);
    stream.once("close", () => --open === 0 && arm());
  });
  session.once("close", () => clearTimeout(timer));
  arm();
}
