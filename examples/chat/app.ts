// A chat room: the page at `/`, a WebSocket at `/chat`. One source for node, deno, bun and workerd:
// it uses only web APIs and ctx.upgradeWebSocket. Every message goes to everyone connected.
import type { Context, Env, ServerWebSocket } from "../../src/types.ts";

const room = new Set<ServerWebSocket>();
let page: Promise<string> | undefined;

function broadcast(message: Record<string, unknown>): void {
  const text = JSON.stringify({ ...message, at: Date.now() });
  for (const peer of room) if (peer.readyState === 1) peer.send(text);
}

// The page sits next to this file; Node, Deno and Bun all read files through node:fs.
async function readPage(): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  return readFile(new URL("./index.html", import.meta.url), "utf8");
}

export default async function chat(request: Request, _env: Env, ctx: Context): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === "/") {
    page ??= readPage();
    return new Response(await page, { headers: { "content-type": "text/html; charset=utf-8" } });
  }
  if (url.pathname !== "/chat") return new Response("Not Found", { status: 404 });
  if (request.headers.get("upgrade")?.toLowerCase() !== "websocket" || !ctx.upgradeWebSocket) {
    return new Response("Upgrade Required: connect with a WebSocket", {
      status: 426,
      headers: { upgrade: "websocket" },
    });
  }
  const name = (url.searchParams.get("name") ?? "").trim().slice(0, 32) || "anonymous";
  const { socket, response } = ctx.upgradeWebSocket(request);
  socket.onopen = () => {
    room.add(socket);
    socket.send(JSON.stringify({ system: `welcome, ${name}: ${room.size} here on ${ctx.runtime}`, at: Date.now() }));
    broadcast({ system: `${name} joined` });
  };
  socket.onmessage = (event) => {
    if (typeof event.data === "string" && event.data.trim()) broadcast({ from: name, text: event.data.slice(0, 2000) });
  };
  socket.onclose = () => {
    if (room.delete(socket)) broadcast({ system: `${name} left` });
  };
  return response;
}
