// toNodeListener under node:https and node:http2 (compatibility API), in-process with real TLS clients.
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { request as httpsRequest, createServer as createHttpsServer } from "node:https";
import { connect, createSecureServer, type ClientHttp2Session } from "node:http2";
import type { AddressInfo, Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toNodeListener } from "../adapters/node.ts";
import { conformanceApp } from "./conformance/app.ts";

const tls = {
  key: readFileSync(new URL("fixtures/localhost-key.pem", import.meta.url)),
  cert: readFileSync(new URL("fixtures/localhost-cert.pem", import.meta.url)),
};
const errors: unknown[] = [];
const listener = () => toNodeListener(conformanceApp, { onError: (error) => errors.push(error) });

async function listen(server: Server): Promise<number> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

describe("toNodeListener on node:https", () => {
  const server = createHttpsServer(tls, listener());
  let port: number;
  beforeAll(async () => {
    port = await listen(server);
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  function get(
    path: string,
    method = "GET",
    body?: Uint8Array,
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        { host: "127.0.0.1", port, path, method, ca: tls.cert, servername: "localhost" },
        async (res) => {
          const chunks: Buffer[] = [];
          for await (const chunk of res) chunks.push(chunk);
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) });
        },
      );
      req.once("error", reject);
      req.end(body);
    });
  }

  it("gives an https URL to the application", async () => {
    const seen = JSON.parse((await get("/url/x?y")).body.toString());
    expect(seen.url).toBe(`https://127.0.0.1:${port}/url/x?y`);
  });

  it("round-trips a binary body and keeps Set-Cookie apart", async () => {
    const body = Uint8Array.from({ length: 70_000 }, (_, i) => i % 251);
    expect(new Uint8Array((await get("/echo", "POST", body)).body)).toEqual(body);
    expect((await get("/headers")).headers["set-cookie"]).toHaveLength(3);
  });
});

describe("toNodeListener on node:http2 (compatibility API)", () => {
  const server = createSecureServer(tls, listener());
  let session: ClientHttp2Session;
  beforeAll(async () => {
    const port = await listen(server);
    session = connect(`https://localhost:${port}`, { ca: tls.cert });
  });
  afterAll(() => {
    session.close();
    return new Promise((resolve) => server.close(resolve));
  });

  function get(
    path: string,
    method = "GET",
    body?: Uint8Array,
  ): Promise<{ headers: Record<string, unknown>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const stream = session.request({ ":path": path, ":method": method }, { endStream: body === undefined });
      let headers: Record<string, unknown> = {};
      const chunks: Buffer[] = [];
      stream.on("response", (received) => (headers = received));
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.once("end", () => resolve({ headers, body: Buffer.concat(chunks) }));
      stream.once("error", reject);
      if (body !== undefined) stream.end(body);
    });
  }

  it("answers with status, headers and body, and several Set-Cookie apart", async () => {
    const hello = await get("/hello");
    expect(hello.headers[":status"]).toBe(200);
    expect(hello.body.toString()).toBe("hello");
    expect((await get("/headers")).headers["set-cookie"]).toEqual([
      "a=1; Path=/",
      "b=2; HttpOnly",
      "c=3; Expires=Wed, 21 Oct 2026 07:28:00 GMT",
    ]);
  });

  it("streams request and response bodies", async () => {
    const body = Uint8Array.from({ length: 300_000 }, (_, i) => i % 253);
    expect(new Uint8Array((await get("/echo", "PUT", body)).body)).toEqual(body);
    expect((await get("/stream?chunks=16&size=65536")).body.byteLength).toBe(1024 * 1024);
  });

  it("sends no body for HEAD and builds the URL from :authority", async () => {
    expect((await get("/hello", "HEAD")).body.byteLength).toBe(0);
    expect(JSON.parse((await get("/url/a%20b")).body.toString()).url).toMatch(/^https:\/\/localhost:\d+\/url\/a%20b$/);
    expect(errors).toEqual([]);
  });
});

describe("close() on node:http", () => {
  it("cuts what is left once close() passes gracefulTimeout [§4.6-d]", async () => {
    const { serve } = await import("../adapters/node.ts");
    const server = await serve(conformanceApp, { port: 0, gracefulTimeout: 300, onError: () => {} });
    const response = await fetch(new URL("/sse?id=endless", server.url));
    const reader = response.body!.getReader();
    await reader.read();
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(2000);
    // The endless stream was cut, not left running.
    await expect(
      (async () => {
        while (!(await reader.read()).done);
      })(),
    ).rejects.toThrow();
  });
});

describe("the Request the Node adapter gives", () => {
  it("keeps request.signal's promises: a clone follows it, and a first read after the client left is aborted", async () => {
    const { serve } = await import("../adapters/node.ts");
    const seen: Record<string, boolean> = {};
    let leave!: () => void;
    const left = new Promise<void>((resolve) => (leave = resolve));
    const app = async (request: Request): Promise<Response> => {
      if (new URL(request.url).pathname === "/late") {
        await left;
        await new Promise((resolve) => setTimeout(resolve, 100));
        seen.late = request.signal.aborted; // first read only now, after the client is gone
        return new Response("too late");
      }
      const clone = request.clone();
      seen.instance =
        request instanceof Request && clone instanceof Request && new Request(request).url === request.url;
      await new Promise<void>((resolve) => clone.signal.addEventListener("abort", () => resolve()));
      seen.clone = clone.signal.aborted && request.signal.aborted;
      return new Response("gone");
    };
    const server = await serve(app, { port: 0, onError: () => {} });
    try {
      const client = new AbortController();
      const first = fetch(new URL("/clone", server.url), { signal: client.signal }).catch(() => "left");
      await new Promise((resolve) => setTimeout(resolve, 100));
      client.abort();
      await first;
      const late = new AbortController();
      const second = fetch(new URL("/late", server.url), { signal: late.signal }).catch(() => "left");
      await new Promise((resolve) => setTimeout(resolve, 100));
      late.abort();
      await second;
      leave();
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(seen).toEqual({ instance: true, clone: true, late: true });
    } finally {
      await server.close();
    }
  });
});
