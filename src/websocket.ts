// The public side of WebSockets: what an application can test and catch. The adapters' shared machinery is
// in server/websocket-upgrade.ts and server/websocket-socket.ts.
import { TsgiError } from "./errors.ts";

/**
 * `ctx.upgradeWebSocket` was called for a request that is not a WebSocket upgrade, or where the server cannot upgrade.
 *
 * @example
 * try { ctx.upgradeWebSocket!(request); } catch (error) { if (error instanceof WebSocketUpgradeError) return new Response(null, { status: 426 }); }
 */
export class WebSocketUpgradeError extends TsgiError {
  constructor(message: string) {
    super("TSGI_WEBSOCKET_UPGRADE", message);
  }
}

/**
 * True for a WebSocket opening handshake: a GET with `Upgrade: websocket` (RFC 6455 §4.2.1).
 *
 * @example
 * if (!isWebSocketRequest(request)) return new Response("Upgrade Required", { status: 426, headers: { upgrade: "websocket" } });
 */
export function isWebSocketRequest(request: Request): boolean {
  return isWebSocketUpgrade(request.method, request.headers.get("upgrade"));
}

/**
 * The same test on a method and an `Upgrade` header value, for a runtime's own request object.
 *
 * @example
 * isWebSocketUpgrade(req.method, req.headers.upgrade); // true for GET with "Upgrade: websocket"
 */
export function isWebSocketUpgrade(method: string | undefined, upgrade: string | null | undefined): boolean {
  return method === "GET" && /(^|,)\s*websocket\s*(,|$)/i.test(upgrade ?? "");
}
