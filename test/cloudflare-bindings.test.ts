// A Hono application with a KV and a D1 binding, run through toWorker on workerd (Miniflare provides the
// bindings locally), and what else the Worker hands over: request.cf, CF-Connecting-IP, its own ctx
// (waitUntil, passThroughOnException, props), ctx.upgradeWebSocket with no option, and errors reported
// through onError: the application's own, and a NotAResponseError for what is not a Response.
import { build } from "esbuild";
import { kCurrentWorker, Log, LogLevel, Miniflare } from "miniflare";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "./conformance/wire.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

// The worker under test, bundled by esbuild as wrangler would. Hono's onError rethrows so that
// failures reach toWorker, which reports them (or passes them through to workerd).
const worker = `
import { Hono } from "hono";
import { toWorker } from "./adapters/cloudflare.ts";

const app = new Hono();
app.onError((error) => { throw error; });
app.get("/kv/:key", async (c) => {
  const value = await c.env.KV.get(c.req.param("key"));
  return value === null ? c.notFound() : c.text(value);
});
app.put("/kv/:key", async (c) => {
  await c.env.KV.put(c.req.param("key"), await c.req.text());
  return c.body(null, 204);
});
app.post("/notes", async (c) => {
  await c.env.DB.prepare("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)").run();
  await c.env.DB.prepare("INSERT INTO notes (body) VALUES (?)").bind(await c.req.text()).run();
  return c.body(null, 201);
});
app.get("/notes", async (c) => c.json((await c.env.DB.prepare("SELECT id, body FROM notes ORDER BY id").all()).results));
app.get("/cf", (c) => c.json({ cf: c.req.raw.cf ?? null }));
app.get("/ctx", (c) => {
  const ctx = c.executionCtx;
  return c.json({
    runtime: ctx.runtime,
    remoteAddress: ctx.remoteAddress ?? null,
    platform: typeof ctx.platform.ctx.waitUntil,
    props: ctx.props,
    greeting: c.env.GREETING,
  });
});
app.get("/via-service-binding", (c) => c.env.SELF.fetch("http://self/ctx"));
app.get("/wait-until/:key", (c) => {
  c.executionCtx.waitUntil(new Promise((resolve) => setTimeout(resolve, 200)).then(() => c.env.KV.put(c.req.param("key"), "written after the response")));
  c.executionCtx.waitUntil(Promise.reject(new Error("waitUntil went wrong")));
  return c.text("accepted");
});
app.get("/boom", () => { throw new Error("boom in the app"); });
app.get("/ws", (c) => {
  const { socket, response } = c.executionCtx.upgradeWebSocket(c.req.raw);
  socket.addEventListener("message", (event) => socket.send("echo: " + event.data));
  return response;
});
app.get("/pass", (c) => {
  c.executionCtx.passThroughOnException();
  throw new Error("passed to the origin");
});

// Hono answers a handler's non-Response with its own error; this route hands one to toWorker itself.
const entry = { fetch: (request, env, ctx) => new URL(request.url).pathname === "/not-a-response" ? "a string" : app.fetch(request, env, ctx) };

export default toWorker(entry, {
  onError: (error, request) => console.log("onError: " + error.message + " at " + new URL(request.url).pathname + " [" + error.name + " " + error.code + "]"),
  maxBodySize: 1024,
});
`;

let mf: Miniflare;
let base: URL;
let origin: Server;
let logs = "";
const get = (path: string, init?: RequestInit) => fetch(new URL(path, base), init);
// Miniflare types its bindings with Cloudflare's own types, which this project does not install.
interface KvNamespace {
  get(key: string): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
}
const asKv = (namespace: unknown): KvNamespace => namespace as KvNamespace;
const kvNamespace = async (): Promise<KvNamespace> => asKv(await mf.getKVNamespace("KV"));

beforeAll(async () => {
  // The origin passThroughOnException falls back to: Miniflare's upstream, standing in for the zone's origin.
  origin = createServer((req, res) => res.end(`origin saw ${req.method} ${req.url}`));
  await new Promise<void>((resolve) => origin.listen(0, "127.0.0.1", resolve));
  const bundled = await build({
    stdin: { contents: worker, resolveDir: root, loader: "ts", sourcefile: "bindings-worker.ts" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    write: false,
    logLevel: "silent",
  });
  mf = new Miniflare({
    modules: true,
    script: bundled.outputFiles[0].text,
    compatibilityDate: "2026-04-01",
    host: "127.0.0.1",
    port: 0,
    kvNamespaces: ["KV"],
    d1Databases: ["DB"],
    bindings: { GREETING: "hello from a var" },
    serviceBindings: { SELF: { name: kCurrentWorker, props: { tenant: "acme" } } },
    cf: { colo: "TST", country: "XX", asn: 64512 },
    upstream: `http://127.0.0.1:${(origin.address() as AddressInfo).port}`,
    log: new Log(LogLevel.NONE),
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      stdout.on("data", (chunk: Buffer) => (logs += chunk));
      stderr.on("data", (chunk: Buffer) => (logs += chunk));
    },
  });
  base = await mf.ready;
}, 30_000);

afterAll(async () => {
  await mf?.dispose();
  origin?.close();
});

describe("a Hono application with bindings, through toWorker on workerd", () => {
  it("reads and writes a KV namespace through env", async () => {
    expect((await get("/kv/greeting")).status).toBe(404);
    expect((await get("/kv/greeting", { method: "PUT", body: "héllo ✓" })).status).toBe(204);
    expect(await (await get("/kv/greeting")).text()).toBe("héllo ✓");
    // The same namespace, seen from outside the worker: the binding is Miniflare's real KV.
    const kv = await kvNamespace();
    expect(await kv.get("greeting")).toBe("héllo ✓");
    await kv.put("seeded", "from the test");
    expect(await (await get("/kv/seeded")).text()).toBe("from the test");
  });

  it("queries a D1 database through env", async () => {
    for (const body of ["first", "second"]) expect((await get("/notes", { method: "POST", body })).status).toBe(201);
    expect(await (await get("/notes")).json()).toEqual([
      { id: 1, body: "first" },
      { id: 2, body: "second" },
    ]);
    const db = await mf.getD1Database("DB");
    expect(await db.prepare("SELECT count(*) AS n FROM notes").first("n")).toBe(2);
  });
});

describe("what the Worker hands over reaches the application", () => {
  it("gives request.cf, the vars, and the Worker's ctx with CF-Connecting-IP as remoteAddress", async () => {
    expect((await (await get("/cf")).json()).cf).toMatchObject({ colo: "TST", country: "XX", asn: 64512 });
    expect(await (await get("/ctx")).json()).toEqual({
      runtime: "workerd",
      remoteAddress: "127.0.0.1",
      platform: "function",
      props: {},
      greeting: "hello from a var",
    });
  });

  it("gives the props a service binding was declared with as ctx.props", async () => {
    expect((await (await get("/via-service-binding")).json()).props).toEqual({ tenant: "acme" });
  });

  it("keeps waitUntil work going after the response, through the Worker's own waitUntil, and reports its failure", async () => {
    const key = `later-${Date.now()}`;
    expect(await (await get(`/wait-until/${key}`)).text()).toBe("accepted");
    const kv = await kvNamespace();
    expect(await kv.get(key)).toBeNull();
    await waitFor(async () => (await kv.get(key)) === "written after the response");
    await waitFor(() => logs.includes("onError: waitUntil went wrong at /wait-until/"));
  });

  it("answers 500 to an application error and reports it through onError", async () => {
    const response = await get("/boom");
    expect(response.status).toBe(500);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await response.text()).toBe("Internal Server Error");
    await waitFor(() => logs.includes("onError: boom in the app at /boom"));
  });

  it("reports a value that is not a Response as a NotAResponseError, with the other adapters' message, and answers 500", async () => {
    const response = await get("/not-a-response");
    expect(response.status).toBe(500);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await response.text()).toBe("Internal Server Error");
    await waitFor(() =>
      logs.includes(
        "onError: application returned a string, not a Response (SPEC.md §3.4) at /not-a-response [NotAResponseError TSGI_NOT_A_RESPONSE]",
      ),
    );
  });

  it("answers 413 to a declared body over maxBodySize, without calling the application", async () => {
    const response = await get("/kv/too-big", { method: "PUT", body: "x".repeat(2000) });
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await response.text()).toBe("Payload Too Large");
    expect(await (await kvNamespace()).get("too-big")).toBeNull();
    expect((await get("/kv/small", { method: "PUT", body: "x".repeat(1000) })).status).toBe(204);
  });

  it("gives ctx.upgradeWebSocket with no option to toWorker", async () => {
    const socket = new WebSocket(new URL("/ws", base.href.replace(/^http/, "ws")));
    const reply = await new Promise<string>((resolve, reject) => {
      socket.addEventListener("open", () => socket.send("hi"));
      socket.addEventListener("message", (event) => resolve(String(event.data)));
      socket.addEventListener("error", () => reject(new Error("WebSocket error")));
    });
    socket.close();
    expect(reply).toBe("echo: hi");
  });

  it("rethrows after passThroughOnException, so workerd falls through to the origin", async () => {
    const response = await get("/pass?x=1");
    expect(await response.text()).toBe("origin saw GET /pass?x=1");
    expect(response.status).toBe(200);
    expect(logs).not.toContain("onError: passed to the origin");
  });
});
