// What every runtime's WebSocket support shares: the upgrade check, subprotocol negotiation, the marker
// on the response that completes a handshake, keep-alive. The browser-like socket is in websocket-socket.ts.
import type { UpgradeWebSocketOptions, WebSocketUpgrade } from "../types.ts";
import { isWebSocketRequest, WebSocketUpgradeError } from "../websocket.ts";
import { BrowserSocket } from "./websocket-socket.ts";

/**
 * Throws the clear error for a request that cannot be upgraded; returns the subprotocol to accept otherwise.
 *
 * @example
 * const protocol = checkUpgrade(request, { protocol: "chat.v1" }); // "chat.v1", or "" when none was asked for
 */
export function checkUpgrade(request: Request, options?: UpgradeWebSocketOptions): string {
  if (!isWebSocketRequest(request)) {
    throw new WebSocketUpgradeError(
      "ctx.upgradeWebSocket: the request is not a WebSocket upgrade (no GET with 'Upgrade: websocket'); answer it with a normal response such as 426 Upgrade Required",
    );
  }
  return negotiateProtocol(request, options?.protocol);
}

/**
 * The subprotocol to accept: `wanted` if the client offered it in `Sec-WebSocket-Protocol`, `""` for
 * none (RFC 6455 §4.2.2: a server must not pick a protocol the client did not offer).
 *
 * @example
 * negotiateProtocol(request, "chat.v1"); // "chat.v1", or throws if the client did not offer it
 */
export function negotiateProtocol(request: Request, wanted: string | undefined): string {
  if (wanted === undefined || wanted === "") return "";
  const offered = (request.headers.get("sec-websocket-protocol") ?? "").split(",").map((token) => token.trim());
  if (offered.includes(wanted)) return wanted;
  throw new WebSocketUpgradeError(
    `ctx.upgradeWebSocket: the client did not offer the subprotocol "${wanted}" (it offered: ${offered.filter(Boolean).join(", ") || "none"})`,
  );
}

const upgrades = new WeakMap<Response, unknown>();

/**
 * Marks `response` as the one that completes a handshake; `value` is what the adapter needs to finish it.
 *
 * @example
 * const response = markUpgrade(new Response(null), { socket, protocol });
 */
export function markUpgrade<T>(response: Response, value: T): Response {
  upgrades.set(response, value);
  return response;
}

/**
 * What `markUpgrade` stored for this response, `undefined` for every ordinary response.
 *
 * @example
 * const accepted = upgradeOf<{ protocol: string }>(response);
 */
export function upgradeOf<T>(response: Response): T | undefined {
  return upgrades.get(response) as T | undefined;
}

/**
 * The `ws:`/`wss:` URL of an upgrade request, as `socket.url` shows it.
 *
 * @example
 * socketUrl(new Request("https://example.com/chat")); // "wss://example.com/chat"
 */
export function socketUrl(request: Request): string {
  return request.url.replace(/^http/, "ws");
}

/**
 * Pings every `idleTimeout` seconds and gives up on a peer that stayed silent for a whole period:
 * keep-alive for runtimes that expose ping but no timeout of their own.
 *
 * @example
 * const keepAlive = keepAliveTimer(30, () => raw.ping(), () => raw.terminate());
 * raw.on("pong", keepAlive.alive);
 */
export function keepAliveTimer(
  idleTimeout: number | undefined,
  ping: () => void,
  giveUp: () => void,
): { alive(): void; stop(): void } {
  if (!idleTimeout || idleTimeout <= 0) return { alive() {}, stop() {} };
  let heard = true;
  const timer = setInterval(() => {
    if (!heard) return giveUp();
    heard = false;
    ping();
  }, idleTimeout * 1000);
  (timer as { unref?(): void }).unref?.();
  return {
    alive: () => {
      heard = true;
    },
    stop: () => clearInterval(timer),
  };
}

/** What `prepareUpgrade` keeps on its placeholder response until the adapter upgrades the connection. */
export interface PreparedUpgrade {
  socket: BrowserSocket;
  protocol: string;
  idleTimeout: number | undefined;
}

/**
 * `ctx.upgradeWebSocket` for a runtime whose Response cannot carry status 101 (Node, Bun): a socket to hand
 * the application and a placeholder response that only tells the adapter to upgrade; `upgradeOf` reads it.
 *
 * @example
 * const { socket, response } = prepareUpgrade(request, options);
 * const prepared = upgradeOf<PreparedUpgrade>(response); // { socket, protocol, idleTimeout }
 */
export function prepareUpgrade(request: Request, options?: UpgradeWebSocketOptions): WebSocketUpgrade {
  const protocol = checkUpgrade(request, options);
  const socket = new BrowserSocket(socketUrl(request));
  const prepared: PreparedUpgrade = { socket, protocol, idleTimeout: options?.idleTimeout };
  return { socket, response: markUpgrade(new Response(null, { status: 200 }), prepared) };
}
