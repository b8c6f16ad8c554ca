// The WebSocket conformance cases on every runtime that serves WebSockets: node 22 and 24, deno and bun
// as real processes, workerd through Miniflare (which runs the real workerd binary).
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { attachWebSockets, serve, toNodeListener } from "../adapters/node.ts";
import { websocketApp } from "./conformance/websocket-app.ts";
import { rawRequest, waitFor } from "./conformance/wire.ts";
import { startServer, startWorker } from "./runtimes.ts";
import { websocketConformance } from "./conformance/websocket-suite.ts";

for (const runtime of ["node22", "node24"] as const) {
  websocketConformance({
    name: runtime,
    runtime: "node",
    start: () => startServer(runtime, { app: "websocket" }),
  });
}
websocketConformance({
  name: "node24, fastGlobals",
  runtime: "node",
  start: () => startServer("node24", { app: "websocket", options: { fastGlobals: true } }),
});
websocketConformance({ name: "deno", runtime: "deno", start: () => startServer("deno", { app: "websocket" }) });
websocketConformance({ name: "bun", runtime: "bun", start: () => startServer("bun", { app: "websocket" }) });

websocketConformance({
  name: "workerd",
  runtime: "workerd",
  start: () => startWorker({ app: "websocket" }),
  cannot: {
    "keep-alive": "Workers expose no ping or idle timeout: the platform keeps WebSockets alive itself",
    "graceful-close": "workerd has no server to close: the platform drains isolates itself",
  },
});

// Workers beyond the conformance one, bundled from source text as wrangler would and run on workerd by
// Miniflare. The chat reads its page through node:fs on "/" only: a stub stands in, workerd has none.
async function startInlineWorker(
  contents: string,
  compatibilityDate = "2026-04-01",
): Promise<{ url: string; stop(): Promise<void> }> {
  const [{ build }, { Log, LogLevel, Miniflare }] = await Promise.all([import("esbuild"), import("miniflare")]);
  const root = fileURLToPath(new URL("..", import.meta.url));
  const bundle = await build({
    stdin: { contents, resolveDir: root, loader: "ts", sourcefile: "inline-worker.ts" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    plugins: [
      {
        name: "no-node-builtins",
        setup(esbuild) {
          esbuild.onResolve({ filter: /^node:/ }, ({ path }) => ({ path, namespace: "stub" }));
          esbuild.onLoad({ filter: /.*/, namespace: "stub" }, () => ({
            contents: "export const readFile = () => Promise.reject(new Error('no node:fs here'));",
          }));
        },
      },
    ],
    write: false,
    logLevel: "silent",
  });
  const mf = new Miniflare({
    modules: true,
    script: bundle.outputFiles[0].text,
    compatibilityDate,
    host: "127.0.0.1",
    port: 0,
    log: new Log(LogLevel.NONE),
  });
  const url = await mf.ready;
  return { url: url.href, stop: () => mf.dispose() };
}

/** A client socket whose messages queue up, so a test can await them in order. */
async function openClient(
  url: string,
): Promise<{ ws: WebSocket; next(): Promise<unknown>; closed: Promise<CloseEvent> }> {
  const ws = new WebSocket(url.replace(/^http/, "ws"));
  ws.binaryType = "arraybuffer";
  const queue: unknown[] = [];
  const waiting: ((data: unknown) => void)[] = [];
  ws.onmessage = (event) => (waiting.length ? waiting.shift()!(event.data) : queue.push(event.data));
  const closed = new Promise<CloseEvent>((resolve) => ws.addEventListener("close", resolve));
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error(`WebSocket to ${url} failed to open`));
  });
  return {
    ws,
    closed,
    next: () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((take) => waiting.push(take))),
  };
}

describe("the chat example behind a plain toWorker on workerd", () => {
  let worker: { url: string; stop(): Promise<void> };
  beforeAll(async () => {
    worker = await startInlineWorker(
      `import { toWorker } from "./adapters/cloudflare.ts"; import chat from "./examples/chat/app.ts"; export default toWorker(chat);`,
    );
  }, 30_000);
  afterAll(() => worker?.stop());

  // One client: a Worker may not do I/O for one request on another's socket, so a room shared across
  // connections needs a Durable Object; what counts here is that ctx.upgradeWebSocket is there.
  it("welcomes a client and sends its message back to the room, with no toWorker option", async () => {
    const ada = await openClient(`${worker.url}chat?name=ada`);
    expect(JSON.parse((await ada.next()) as string).system).toBe("welcome, ada: 1 here on workerd");
    expect(JSON.parse((await ada.next()) as string).system).toBe("ada joined");
    ada.ws.send("hello, room");
    expect(JSON.parse((await ada.next()) as string)).toMatchObject({ from: "ada", text: "hello, room" });
    ada.ws.close(1000);
    expect((await ada.closed).code).toBe(1000);
  });
});

// The workerd socket's browser rules, seen from inside the Worker and reported over the socket itself
// (or, once it is closed, over HTTP at /seen).
const probe = `
import { toWorker } from "./adapters/cloudflare.ts";
import type { Context, Env } from "./src/types.ts";

let closed: unknown = null;
const nameOf = (run: () => void): string => {
  try {
    run();
    return "no error";
  } catch (error) {
    return (error as Error).name;
  }
};

export default toWorker((request: Request, _env: Env, ctx: Context): Response => {
  const path = new URL(request.url).pathname;
  if (path === "/seen") return Response.json(closed);
  if (path === "/protocol") {
    try {
      ctx.upgradeWebSocket!(request, { protocol: "chat.v2" });
      return new Response("upgraded");
    } catch (error) {
      const { name, code, message } = error as Error & { code: string };
      return Response.json({ name, code, message }, { status: 400 });
    }
  }
  const { socket, response } = ctx.upgradeWebSocket!(request);
  if (path === "/early-close") {
    socket.close(4001, "closed before open");
    return response;
  }
  let returned = false;
  const seen: Record<string, unknown> = { readyState: socket.readyState, url: socket.url, protocol: socket.protocol, binaryType: socket.binaryType, onmessage: socket.onmessage };
  seen.sendBeforeOpen = nameOf(() => socket.send("too early"));
  seen.badCode = nameOf(() => socket.close(1002));
  seen.longReason = nameOf(() => socket.close(1000, "é".repeat(62)));
  seen.stillConnecting = socket.readyState;
  socket.onopen = () => socket.send(JSON.stringify({ ...seen, opened: socket.readyState, afterReturn: returned }));
  socket.onclose = (event) => {
    closed = { code: event.code, reason: event.reason, readyState: socket.readyState, send: nameOf(() => socket.send("after close")) };
  };
  socket.onmessage = (event) => {
    const data: unknown = event.data;
    if (data === "order") {
      socket.send(new Blob(["one"]));
      socket.send("two");
      socket.send(new Blob([new Uint8Array([3])]));
      socket.send("four");
    } else if (data === "arraybuffer") {
      socket.binaryType = "arraybuffer";
      socket.send("binaryType " + socket.binaryType);
    } else if (data === "close") {
      socket.close(4002, "bye ✓");
    } else {
      socket.send("got " + (typeof data === "string" ? data : (data as object).constructor.name));
    }
  };
  returned = true;
  return response;
});
`;

// 2025-11-01 is the date tsgi build writes; before 2026 workerd's binaryType defaults to "arraybuffer"
// and its close() lets a long reason through, so the socket must not lean on workerd for either.
for (const compatibilityDate of ["2026-04-01", "2025-11-01"]) {
  describe(`the workerd socket's browser rules (compatibility date ${compatibilityDate})`, () => {
    let worker: { url: string; stop(): Promise<void> };
    beforeAll(async () => {
      worker = await startInlineWorker(probe, compatibilityDate);
    }, 30_000);
    afterAll(() => worker?.stop());

    it("is CONNECTING until open fires on a later turn, refuses send then, and checks close codes and reasons", async () => {
      const client = await openClient(`${worker.url}probe`);
      expect(JSON.parse((await client.next()) as string)).toEqual({
        readyState: 0,
        url: `${worker.url.replace(/^http/, "ws")}probe`,
        protocol: "",
        binaryType: "blob",
        onmessage: null,
        sendBeforeOpen: "InvalidStateError",
        badCode: "InvalidAccessError",
        longReason: "SyntaxError",
        stillConnecting: 0,
        opened: 1,
        afterReturn: true,
      });
      client.ws.close();
    });

    it("gives Blobs by default and ArrayBuffers once asked, keeps Blob sends in order, and closes with its code and reason", async () => {
      const client = await openClient(`${worker.url}probe`);
      await client.next();
      client.ws.send(new Uint8Array([1, 2]));
      expect(await client.next()).toBe("got Blob");
      client.ws.send("order");
      const sent = [await client.next(), await client.next(), await client.next(), await client.next()];
      expect(
        sent.map((data) => (typeof data === "string" ? data : [...new Uint8Array(data as ArrayBuffer)].join(","))),
      ).toEqual(["111,110,101", "two", "3", "four"]);
      client.ws.send("arraybuffer");
      expect(await client.next()).toBe("binaryType arraybuffer");
      client.ws.send(new Uint8Array([1, 2]));
      expect(await client.next()).toBe("got ArrayBuffer");
      client.ws.send("close");
      const closed = await client.closed;
      expect([closed.code, closed.reason]).toEqual([4002, "bye ✓"]);
    });

    it("is CLOSED in onclose, where send does nothing, as in the browser", async () => {
      const client = await openClient(`${worker.url}probe`);
      await client.next();
      client.ws.close(4003, "client leaving");
      await client.closed;
      let seen: unknown = null;
      await waitFor(async () => {
        seen = await (await fetch(`${worker.url}seen`)).json();
        return seen !== null;
      }, 2500);
      expect(seen).toEqual({ code: 4003, reason: "client leaving", readyState: 3, send: "no error" });
    });

    it("closes a socket closed before open with the code and reason it was given", async () => {
      const client = await openClient(`${worker.url}early-close`);
      const closed = await client.closed;
      expect([closed.code, closed.reason]).toEqual([4001, "closed before open"]);
    });

    it("throws WebSocketUpgradeError for a subprotocol the client did not offer", async () => {
      const { host } = new URL(worker.url);
      const key = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
      const reply = await rawRequest(
        worker.url,
        `GET /protocol HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: chat.v1\r\n\r\n`,
        { timeout: 1500, until: (raw) => raw.includes("}") },
      );
      expect(reply.head).toMatch(/^HTTP\/1\.1 400/);
      expect(JSON.parse(reply.raw.slice(reply.raw.indexOf("{"), reply.raw.lastIndexOf("}") + 1))).toEqual({
        name: "WebSocketUpgradeError",
        code: "TSGI_WEBSOCKET_UPGRADE",
        message: 'ctx.upgradeWebSocket: the client did not offer "chat.v2"',
      });
    });
  });
}

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
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
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
      const reply = await rawRequest(
        echo.url,
        `POST / HTTP/1.1\r\nHost: ${host}\r\nUpgrade: h2c\r\nConnection: Upgrade\r\nContent-Length: 5\r\n\r\nhello`,
        { timeout: 1500 },
      );
      expect(reply.head).toMatch(/^HTTP\/1\.1 200/);
      expect(reply.raw.endsWith("\r\n\r\nhello")).toBe(true);
    } finally {
      await echo.close();
    }
  });

  it("without it, ctx.upgradeWebSocket throws an error that says how to attach", async () => {
    const host = await listen(false);
    const ws = new WebSocket(`ws://${host}/ws/echo`);
    await expect(
      new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = () => reject(new Error("refused"));
      }),
    ).rejects.toThrow("refused");
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
