import { keepAliveTimer, type PreparedUpgrade, upgradeOf } from "../src/server/websocket-upgrade.ts";
import { feedOf, type SocketFeed } from "../src/server/websocket-socket.ts";

/** Bun's per-connection socket (`ServerWebSocket` in Bun's docs), the members used here. */
export interface BunSocket {
  data: BunConnection;
  readonly protocol?: string | null;
  send(data: string | Uint8Array): number;
  close(code?: number, reason?: string): void;
  ping(): number;
  terminate(): void;
  getBufferedAmount?(): number;
}

/** The part of Bun's server that upgrades. */
export interface BunUpgradingServer {
  upgrade(request: Request, options?: { data?: BunConnection; headers?: HeadersInit }): boolean;
}

/** What Bun keeps in `ws.data` for each connection. */
export interface BunConnection extends PreparedUpgrade {
  feed: SocketFeed;
  alive(): void;
  stop(): void;
}

/** Bun's `websocket` handlers for one server, and a way to close every socket it holds. */
export interface BunWebSockets {
  handlers: {
    open(ws: BunSocket): void;
    message(ws: BunSocket, message: string | Uint8Array): void;
    close(ws: BunSocket, code: number, reason: string): void;
    pong(ws: BunSocket): void;
  };
  /** Closes the open sockets with 1001 Going Away, as a graceful shutdown does. */
  closeAll(): void;
}

/**
 * The fetch handler's answer for a request that may upgrade: `undefined` once Bun took the connection
 * (Bun's rule), the application's response otherwise.
 *
 * @example
 * return finishUpgrade(server, request, callApp(handler, request, env, ctx, onError));
 */
export async function finishUpgrade(
  server: BunUpgradingServer,
  request: Request,
  response: Response | Promise<Response>,
): Promise<Response | undefined> {
  const resolved = await response;
  const accepted = upgradeOf<PreparedUpgrade>(resolved);
  if (accepted === undefined) return resolved;
  const connection: BunConnection = { ...accepted, feed: feedOf(accepted.socket), alive() {}, stop() {} };
  const headers = accepted.protocol ? { "sec-websocket-protocol": accepted.protocol } : undefined;
  if (server.upgrade(request, { data: connection, headers })) return undefined;
  connection.feed.close(1006, "", false);
  return new Response("Bad Request: not a valid WebSocket handshake", { status: 400 });
}

/**
 * The server-level handlers Bun needs to serve WebSockets at all.
 *
 * @example
 * const sockets = bunWebSockets();
 * Bun.serve({ fetch, websocket: sockets.handlers });
 */
export function bunWebSockets(): BunWebSockets {
  const live = new Set<BunSocket>();
  return {
    handlers: {
      open(ws) {
        live.add(ws);
        const connection = ws.data;
        const keepAlive = keepAliveTimer(
          connection.idleTimeout,
          () => ws.ping(),
          () => ws.terminate(),
        );
        connection.alive = keepAlive.alive;
        connection.stop = keepAlive.stop;
        const measure = ws.getBufferedAmount?.bind(ws);
        const bufferedAmount = measure ? () => measure() : undefined;
        connection.feed.open(
          { send: (data) => void ws.send(data), close: (code, reason) => ws.close(code, reason), bufferedAmount },
          connection.protocol,
        );
      },
      message(ws, message) {
        ws.data.alive();
        ws.data.feed.message(message);
      },
      close(ws, code, reason) {
        live.delete(ws);
        ws.data.stop();
        ws.data.feed.close(code, reason, code !== 1006);
      },
      pong(ws) {
        ws.data.alive();
      },
    },
    closeAll() {
      for (const ws of live) ws.close(1001, "server shutting down");
    },
  };
}
