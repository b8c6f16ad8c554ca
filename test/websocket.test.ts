// The WebSocket conformance cases on every runtime that serves WebSockets: node 22 and 24, deno and bun
// as real processes, workerd through Miniflare (which runs the real workerd binary).
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { attachWebSockets, serve, toNodeListener } from "../adapters/node.ts";
import { websocketApp } from "./conformance/websocket-app.ts";
import { rawRequest } from "./conformance/wire.ts";
import { startServer, startWorker } from "./runtimes.ts";
import { websocketConformance } from "./conformance/websocket-suite.ts";


for (const runtime of ["node22", "node24"] as const) {
  websocketConformance({ name: runtime, runtime: "node", start: () => startServer(runtime, "test/servers/node-ws.ts") });
}
websocketConformance({ name: "deno", runtime: "deno", start: () => startServer("deno", "test/servers/deno-ws.ts") });
websocketConformance({ name: "bun", runtime: "bun", start: () => startServer("bun", "test/servers/bun-ws.ts") });

websocketConformance({
  name: "workerd",
  runtime: "workerd",
  start: () => startWorker("test/servers/cloudflare-ws.ts"),
  cannot: {
    "keep-alive": "Workers expose no ping or idle timeout: the platform keeps WebSockets alive itself",
    "graceful-close": "workerd has no server to close: the platform drains isolates itself",
  },
});

describe("websockets through toNodeListener on the user's own node:http server", () => {
  let server: HttpServer | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function listen(attach: boolean): Promise<string> {
    const listener = toNodeListener(websocketApp, { onError: () => {} });
    server = createServer(listener);
    if (attach) attachWebSockets(server, listener);
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return `127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it("upgrades once attachWebSockets(server, listener) is called", async () => {
    const host = await listen(true);
    const ws = new WebSocket(`ws://${host}/ws/echo`);
    await new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = reject)));
    const echoed = new Promise((resolve) => (ws.onmessage = (event) => resolve(event.data)));
    ws.send("through my own server");
    expect(await echoed).toBe("through my own server");
    const closed = new Promise((resolve) => (ws.onclose = resolve));
    ws.close();
    await closed;
  });

  it("leaves an upgrade to another protocol (h2c) an ordinary request, body included", async () => {
    const echo = await serve(async (request: Request) => new Response(await request.text()), { port: 0 });
    try {
      const { host } = new URL(echo.url);
      const reply = await rawRequest(echo.url, `POST / HTTP/1.1\r\nHost: ${host}\r\nUpgrade: h2c\r\nConnection: Upgrade\r\nContent-Length: 5\r\n\r\nhello`, { timeout: 1500 });
      expect(reply.head).toMatch(/^HTTP\/1\.1 200/);
      expect(reply.raw.endsWith("\r\n\r\nhello")).toBe(true);
    } finally {
      await echo.close();
    }
  });

  it("without it, ctx.upgradeWebSocket throws an error that says how to attach", async () => {
    const host = await listen(false);
    const ws = new WebSocket(`ws://${host}/ws/echo`);
    await expect(new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = () => reject(new Error("refused")))))).rejects.toThrow("refused");
    // The application's view of it: /ws/misuse answers with the error it caught.
    const key = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
    const reply = await rawRequest(
      `http://${host}/`,
      `GET /ws/misuse HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      { timeout: 1500 },
    );
    expect(reply.head).toMatch(/^HTTP\/1\.1 400/);
    expect(reply.raw).toMatch(/does not listen for upgrades.*attachWebSockets\(server, listener\)/);
  });
});
