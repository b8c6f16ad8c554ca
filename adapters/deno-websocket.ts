// WebSockets on Deno: `Deno.upgradeWebSocket` gives the 101 response and a socket that is nearly the
// browser's; its server end leaves `url` and `protocol` empty, so tsgi's browser-like socket wraps it
// and every runtime's socket reads the same.
import type { UpgradeWebSocketOptions, WebSocketUpgrade } from "../src/types.ts";
import { runtimeRequest } from "../src/server/admit-request.ts";
import { checkUpgrade, socketUrl } from "../src/server/websocket-upgrade.ts";
import { BrowserSocket, feedOf } from "../src/server/websocket-socket.ts";

// The parts of Deno's WebSocket API used here, typed here so that no Deno types leak.
interface DenoSocket {
  binaryType: string;
  readonly bufferedAmount: number;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: (() => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
}
interface DenoUpgrade {
  upgradeWebSocket(
    request: Request,
    options?: { protocol?: string; idleTimeout?: number },
  ): { socket: DenoSocket; response: Response };
}

/**
 * `ctx.upgradeWebSocket` on Deno: one function for every request, so building a ctx costs nothing more.
 *
 * @example
 * const { socket, response } = upgradeWebSocket(request, { protocol: "chat.v1" });
 * socket.onmessage = (event) => socket.send(event.data);
 * return response;
 */
export function upgradeWebSocket(request: Request, options?: UpgradeWebSocketOptions): WebSocketUpgrade {
  const protocol = checkUpgrade(request, options);
  const deno = (globalThis as typeof globalThis & { Deno: DenoUpgrade }).Deno;
  const upgrade = deno.upgradeWebSocket(runtimeRequest(request), {
    protocol: protocol || undefined,
    idleTimeout: options?.idleTimeout,
  });
  const raw = upgrade.socket;
  const socket = new BrowserSocket(socketUrl(request));
  const feed = feedOf(socket);
  raw.binaryType = "arraybuffer";
  raw.onopen = () =>
    feed.open(
      {
        send: (data) => raw.send(data),
        close: (code, reason) => raw.close(code, reason),
        bufferedAmount: () => raw.bufferedAmount,
      },
      protocol,
    );
  raw.onmessage = (event) => feed.message(event.data as string | ArrayBuffer);
  raw.onclose = (event) => feed.close(event.code, event.reason, event.wasClean);
  raw.onerror = (event) => feed.error((event as ErrorEvent).error);
  return { socket, response: upgrade.response };
}
