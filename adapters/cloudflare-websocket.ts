// WebSockets on workerd: a WebSocketPair, whose server end is accepted here and wrapped in tsgi's
// browser-like socket (workerd's own has no open event), and a 101 response carrying the client end.
import type { UpgradeWebSocketOptions, WebSocketUpgrade } from "../src/types.ts";
import { checkUpgrade, socketUrl } from "../src/websocket.ts";
import { BrowserSocket, feedOf } from "../src/websocket-socket.ts";

// The parts of the Workers runtime API used here (WebSockets docs), typed here so no Workers types leak.
interface WorkerSocket {
  accept(): void;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
  addEventListener(type: "close", listener: (event: CloseEvent) => void): void;
  addEventListener(type: "error", listener: (event: ErrorEvent) => void): void;
}
interface WorkersGlobal {
  WebSocketPair: new () => Record<0 | 1, WorkerSocket>;
}

/**
 * `ctx.upgradeWebSocket` on workerd: accepts the server end at once, so the socket can be used before
 * the application returns `response`; `open` fires on the next turn.
 *
 * @example
 * const { socket, response } = upgradeWebSocket(request);
 * socket.onmessage = (event) => socket.send(event.data);
 * return response;
 */
export function upgradeWebSocket(request: Request, options?: UpgradeWebSocketOptions): WebSocketUpgrade {
  const protocol = checkUpgrade(request, options);
  const pair = new (globalThis as typeof globalThis & WorkersGlobal).WebSocketPair();
  const client = pair[0];
  const server = pair[1];
  server.accept();
  const socket = new BrowserSocket(socketUrl(request));
  const feed = feedOf(socket);
  server.addEventListener("message", (event) => feed.message(event.data as string | ArrayBuffer));
  server.addEventListener("close", (event) => {
    // Answer the peer's close frame (RFC 6455 §5.5.1); workerd throws if ours was already sent.
    try {
      server.close(event.code === 1005 || event.code === 1006 ? 1000 : event.code, event.reason);
    } catch {}
    feed.close(event.code, event.reason, event.wasClean);
  });
  server.addEventListener("error", (event) => feed.error(event.error));
  setTimeout(() => feed.open({ send: (data) => server.send(data), close: (code, reason) => server.close(code, reason) }, protocol), 0);
  const headers = protocol ? { "sec-websocket-protocol": protocol } : undefined;
  return { socket, response: new Response(null, { status: 101, webSocket: client, headers } as ResponseInit) };
}
