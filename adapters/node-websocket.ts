// WebSockets on Node: node:http hands an upgrade request to the server's `upgrade` event with the raw
// socket; the application runs as for any request, and if it returns the upgrade response the `ws`
// package (imported only then) completes the handshake and drives a browser-like socket.
import { ServerResponse, type IncomingMessage, type Server as HttpServer } from "node:http";
import type { Server as HttpsServer } from "node:https";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import type { WebSocket as WsSocket, WebSocketServer } from "ws";
import type { UpgradeWebSocketOptions, WebSocketUpgrade } from "../src/types.ts";
import { isWebSocketUpgrade, WebSocketUpgradeError } from "../src/websocket.ts";
import {
  checkUpgrade,
  keepAliveTimer,
  type PreparedUpgrade,
  prepareUpgrade,
  upgradeOf,
} from "../src/server/websocket-upgrade.ts";
import { feedOf } from "../src/server/websocket-socket.ts";
import type { NodeRequest } from "./node-request.ts";
import type { NodeResponse } from "./node-response.ts";

/** What `ctx.upgradeWebSocket` is: the same on every request, so building a ctx stays free. */
export type UpgradeWebSocket = (request: Request, options?: UpgradeWebSocketOptions) => WebSocketUpgrade;

interface Upgrading {
  head: Buffer;
  live: Set<WsSocket>;
}

// Requests that came through an `upgrade` event attached by attachWebSockets, with what the handshake needs.
const upgrading = new WeakMap<IncomingMessage, Upgrading>();
const liveByServer = new WeakMap<object, Set<WsSocket>>();
const protocols = new WeakMap<IncomingMessage, string>();
let wss: WebSocketServer | undefined;

// Upgrade requests reach the `request` listener only when no `upgrade` listener is attached: say how to attach one.
const refuse: UpgradeWebSocket = (request, options) => {
  checkUpgrade(request, options);
  throw new WebSocketUpgradeError(
    "ctx.upgradeWebSocket: this Node server does not listen for upgrades; use serve() from tsgi/node, or attachWebSockets(server, listener) after toNodeListener",
  );
};

/**
 * `ctx.upgradeWebSocket` for one Node request: a real upgrader only on the upgrade path, else a clear
 * refusal shared by every request, so a request that does not upgrade costs one property read.
 *
 * @example
 * ctx.upgradeWebSocket = upgradeWebSocketFor(req);
 */
export function upgradeWebSocketFor(req: NodeRequest): UpgradeWebSocket {
  if ((req as { upgrade?: boolean }).upgrade !== true || !upgrading.has(req as IncomingMessage)) return refuse;
  return prepareUpgrade;
}

/** The one `ws` server for every upgrade, made when the first one comes: `ws` loads only then. */
async function webSocketServer(): Promise<WebSocketServer> {
  const { WebSocketServer } = await import("ws");
  // handleProtocols returns what the application chose (checked against the offer by checkUpgrade).
  wss ??= new WebSocketServer({
    noServer: true,
    clientTracking: false,
    handleProtocols: (_offered, request) => protocols.get(request) || false,
  });
  return wss;
}

/**
 * Completes the handshake when `response` is the one `ctx.upgradeWebSocket` made for this request;
 * `undefined` for any other response, which the adapter then writes as usual.
 *
 * @example
 * const upgraded = acceptUpgrade(req, res, response) ?? writeResponse(res, response, method);
 */
export function acceptUpgrade(req: NodeRequest, res: NodeResponse, response: Response): Promise<void> | undefined {
  const accepted = upgradeOf<PreparedUpgrade>(response);
  const pending = upgrading.get(req as IncomingMessage);
  if (accepted === undefined || pending === undefined) return undefined;
  return handshake(req as IncomingMessage, res as ServerResponse, pending, accepted);
}

async function handshake(
  req: IncomingMessage,
  res: ServerResponse,
  pending: Upgrading,
  accepted: PreparedUpgrade,
): Promise<void> {
  const feed = feedOf(accepted.socket);
  const socket = req.socket;
  res.detachSocket(socket);
  const server = wss ?? (await webSocketServer());
  protocols.set(req, accepted.protocol);
  await new Promise<void>((resolve) => {
    // ws answers a malformed handshake (bad key or version) with 400 and never calls back: the socket just closes.
    const failed = (): void => {
      feed.close(1006, "", false);
      resolve();
    };
    socket.once("close", failed);
    server.handleUpgrade(req, socket, pending.head, (ws) => {
      socket.off("close", failed);
      resolve();
      pending.live.add(ws);
      const keepAlive = keepAliveTimer(
        accepted.idleTimeout,
        () => ws.ping(),
        () => ws.terminate(),
      );
      ws.on("message", (data: Buffer, isBinary: boolean) => {
        keepAlive.alive();
        feed.message(isBinary ? data : data.toString("utf8"));
      });
      ws.on("pong", keepAlive.alive);
      ws.on("error", (error: Error) => feed.error(error));
      ws.on("close", (code: number, reason: Buffer) => {
        keepAlive.stop();
        pending.live.delete(ws);
        feed.close(code, reason.toString("utf8"), code !== 1006);
      });
      feed.open(
        {
          send: (data) => ws.send(data),
          close: (code, reason) => ws.close(code, reason),
          bufferedAmount: () => ws.bufferedAmount,
        },
        ws.protocol,
      );
    });
  });
}

/**
 * Serves WebSockets on a server whose requests go to `listener` (from `toNodeListener`): upgrade
 * requests arrive on the server's `upgrade` event, run through the same listener, and
 * `ctx.upgradeWebSocket` works there. `serve()` does this itself.
 *
 * @example
 * const listener = toNodeListener(app);
 * const server = createServer(listener);
 * attachWebSockets(server, listener);
 */
export function attachWebSockets(
  server: HttpServer | HttpsServer,
  listener: (req: IncomingMessage, res: ServerResponse) => void,
): void {
  const live = new Set<WsSocket>();
  liveByServer.set(server, live);
  // Only WebSocket handshakes leave the ordinary request path, where a body (an h2c upgrade's, say) can
  // still be read (node:http's shouldUpgradeCallback; releases without it send every upgrade here).
  const routed = server as { shouldUpgradeCallback?: (req: IncomingMessage) => boolean };
  if (typeof routed.shouldUpgradeCallback === "function") {
    routed.shouldUpgradeCallback = (req) =>
      isWebSocketUpgrade(req.method, req.headers.upgrade) || server.listenerCount("upgrade") > 1;
  }
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Another protocol's upgrade is left to the other `upgrade` listeners there are.
    if (!isWebSocketUpgrade(req.method, req.headers.upgrade) && server.listenerCount("upgrade") > 1) return;
    // After an upgrade node:http no longer watches the socket: a reset must not become an uncaught error.
    socket.on("error", () => socket.destroy());
    upgrading.set(req, { head, live });
    // Any answer but the handshake is an ordinary response on the raw socket, then the connection ends.
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket as Socket);
    res.once("finish", () => socket.end());
    listener(req, res);
  });
}

/**
 * Closes the server's open WebSockets with 1001 Going Away (RFC 6455 §7.4.1), as a graceful
 * shutdown does.
 *
 * @example
 * closeWebSockets(server);
 */
export function closeWebSockets(server: HttpServer | HttpsServer): void {
  for (const ws of liveByServer.get(server) ?? []) ws.close(1001, "server shutting down");
}
