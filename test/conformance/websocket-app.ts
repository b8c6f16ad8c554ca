// The WebSocket conformance application: web APIs and ctx.upgradeWebSocket only, so the same source runs
// on node, deno, bun and workerd. test/conformance/websocket-suite.ts drives it over the wire.
import type { Context, Env } from "../../src/types.ts";

// Close events the server saw, by the id the client gave: read back over plain HTTP by /ws/seen.
const seen = new Map<string, { code: number; reason: string; wasClean: boolean }>();

function json(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });
}

function offered(request: Request): string[] {
  return (request.headers.get("sec-websocket-protocol") ?? "")
    .split(",")
    .map((token) => token.trim())
    .filter(Boolean);
}

export async function websocketApp(request: Request, _env: Env, ctx: Context): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname;
  if (path === "/ws/seen") {
    const close = seen.get(url.searchParams.get("id") ?? "");
    return close ? json(close) : json({ pending: true }, 404);
  }
  if (path === "/ws/misuse") {
    // A plain request asking for an upgrade: the adapter must refuse it with a clear error.
    try {
      ctx.upgradeWebSocket!(request);
      return json({ upgraded: true });
    } catch (error) {
      const { name, message, code } = error as Error & { code?: string };
      return json({ name, message, code }, 400);
    }
  }
  if (path === "/ws/refuse") return new Response("no sockets here", { status: 403 });
  if (!path.startsWith("/ws/")) return new Response("not found", { status: 404 });
  if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
    return new Response("Upgrade Required", { status: 426, headers: { upgrade: "websocket" } });
  }
  if (typeof ctx.upgradeWebSocket !== "function") return new Response("no WebSockets on this runtime", { status: 501 });

  const protocol =
    path === "/ws/protocol" ? offered(request).find((name) => name === "chat.v2" || name === "chat.v1") : undefined;
  const idleTimeout = path === "/ws/keepalive" ? 1 : undefined;
  const { socket, response } = ctx.upgradeWebSocket(request, { protocol, idleTimeout });

  switch (path) {
    case "/ws/echo":
    case "/ws/keepalive":
      socket.binaryType = "arraybuffer";
      socket.addEventListener("message", (event) => socket.send(event.data as string | ArrayBuffer));
      break;
    case "/ws/blob":
      // binaryType stays "blob", as in the browser: a Blob comes in, and a Blob can go back out.
      socket.onmessage = (event) =>
        socket.send(event.data instanceof Blob ? event.data : `not a blob: ${typeof event.data}`);
      break;
    case "/ws/protocol":
    case "/ws/info":
      socket.onopen = () =>
        socket.send(
          JSON.stringify({
            runtime: ctx.runtime,
            protocol: socket.protocol,
            readyState: socket.readyState,
            binaryType: socket.binaryType,
            url: socket.url,
            bufferedAmount: socket.bufferedAmount,
          }),
        );
      break;
    case "/ws/close":
      socket.onopen = () =>
        socket.close(Number(url.searchParams.get("code") ?? 1000), url.searchParams.get("reason") ?? "");
      break;
    case "/ws/watch": {
      const id = url.searchParams.get("id") ?? "";
      socket.onclose = (event) => seen.set(id, { code: event.code, reason: event.reason, wasClean: event.wasClean });
      break;
    }
    default:
      socket.onopen = () => socket.close(4004, "no such socket route");
  }
  return response;
}
