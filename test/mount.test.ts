// mount(routes): URL-prefix dispatch, tested twice as h3 does: in-process with the test client and over a
// real socket on the Node adapter. The apps are the examples: Hono, itty-router and a plain handler.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serve } from "../adapters/node.ts";
import mounted from "../examples/mounted.ts";
import { canonicalPath, mount, mountPrefix } from "../src/mount.ts";
import { createTestClient } from "../adapters/testing.ts";
import type { Handler, Server } from "../src/types.ts";

/** Answers with what it saw: its path, query, prefix, method and body. */
const reporter =
  (name: string): Handler =>
  async (request) => {
    const url = new URL(request.url);
    const body = request.body ? await request.text() : null;
    return Response.json({
      name,
      path: url.pathname,
      search: url.search,
      prefix: mountPrefix(request),
      method: request.method,
      body,
      header: request.headers.get("x-test"),
    });
  };

const guarded = mount({
  "/api/admin": () => new Response("forbidden", { status: 403 }),
  "/api": reporter("api"),
  "/a": reporter("a"),
  "/a/b": reporter("a/b"),
  "/v1": mount({ "/inner": reporter("inner"), "/": reporter("v1-root") }),
  "/ü": reporter("umlaut"),
});

type Fetch = (path: string, init?: RequestInit) => Promise<Response>;

const servers: Server[] = [];
afterAll(() => Promise.all(servers.map((server) => server.close())));

function ways(app: Handler): [string, () => Promise<Fetch>][] {
  return [
    [
      "in-process",
      async () => {
        const client = createTestClient(app);
        return (path, init) => client.fetch(path, init);
      },
    ],
    [
      "over a socket",
      async () => {
        const server = await serve(app, { port: 0, onError: () => {} });
        servers.push(server);
        return (path, init) => fetch(new URL(path, server.url), { redirect: "manual", ...init });
      },
    ],
  ];
}

async function seen(fetcher: Fetch, path: string, init?: RequestInit): Promise<Record<string, unknown>> {
  const response = await fetcher(path, init);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe("mount validates its prefixes up front", () => {
  it.each([
    ["api", /must start with "\/"/],
    ["/api/", /must not end with "\/"/],
    ["/a?b", /without \? or #/],
    ["//x", /empty segment/],
    ["/a/../b", /\. or \.\./],
  ])("rejects %j", (prefix, message) => {
    expect(() => mount({ [prefix]: reporter("x") })).toThrow(message);
  });

  it("rejects two spellings of one path and a value that is not an application", () => {
    expect(() => mount({ "/api": reporter("a"), "/%61pi": reporter("b") })).toThrow(
      /"\/api" and "\/%61pi" are the same path/,
    );
    expect(() => mount({ "/x": JSON.parse("42") })).toThrow(/needs an application, got a number/);
  });

  it("makes unreserved escapes canonical and others upper case", () => {
    expect(canonicalPath("/%61pi/%7euser/a%2fb/%c3%bc")).toBe("/api/~user/a%2Fb/%C3%BC");
  });
});

for (const [way, connect] of ways(guarded)) {
  describe(`mount dispatch, ${way}`, () => {
    let get: Fetch;
    beforeAll(async () => {
      get = await connect();
    });

    it("gives the path below the prefix and names the prefix", async () => {
      expect(await seen(get, "/api/users/1?x=1&y")).toMatchObject({
        name: "api",
        path: "/users/1",
        search: "?x=1&y",
        prefix: "/api",
      });
      expect(await seen(get, "/api")).toMatchObject({ name: "api", path: "/", prefix: "/api" });
      expect(await seen(get, "/api/")).toMatchObject({ name: "api", path: "/", prefix: "/api" });
    });

    it("matches on segment boundaries, longest prefix first whatever the order given", async () => {
      expect((await get("/apix")).status).toBe(404);
      expect(await seen(get, "/a/b/c")).toMatchObject({ name: "a/b", path: "/c", prefix: "/a/b" });
      expect(await seen(get, "/a/bc")).toMatchObject({ name: "a", path: "/bc", prefix: "/a" });
      expect((await get("/")).status).toBe(404);
    });

    it("nests: prefixes add up, and a root mount keeps the outer prefix", async () => {
      expect(await seen(get, "/v1/inner/x")).toMatchObject({ name: "inner", path: "/x", prefix: "/v1/inner" });
      expect(await seen(get, "/v1/other")).toMatchObject({ name: "v1-root", path: "/other", prefix: "/v1" });
    });

    it("canonicalizes percent-encoding, so an escaped path cannot slip past a guard", async () => {
      expect((await get("/%61pi/admin")).status).toBe(403);
      expect((await get("/%61%50i/admin")).status).toBe(404);
      expect((await get("/api/%61dmin/x")).status).toBe(403);
      expect((await get("/api%2Fadmin")).status).toBe(404);
      expect(await seen(get, "/api/a%2fb")).toMatchObject({ name: "api", path: "/a%2Fb" });
      expect(await seen(get, "/%C3%BC/x")).toMatchObject({ name: "umlaut", path: "/x", prefix: "/%C3%BC" });
    });

    it("keeps method, headers and a streamed body", async () => {
      const body = "x".repeat(200_000);
      const stream = new Blob([body]).stream();
      const result = await seen(get, "/api/upload", {
        method: "PUT",
        headers: { "x-test": "kept" },
        body: stream,
        duplex: "half",
      } as RequestInit);
      expect(result).toMatchObject({ name: "api", path: "/upload", method: "PUT", header: "kept" });
      expect(result.body).toBe(body);
    });
  });
}

describe("mount passes request.signal on", () => {
  it("aborts the mounted request when the outer one aborts", async () => {
    let inner: Request | undefined;
    const app = mount({
      "/x": (request) => {
        inner = request;
        return new Response("ok");
      },
    });
    const controller = new AbortController();
    await app(new Request("http://h/x/y", { signal: controller.signal }), {}, createContextless());
    controller.abort();
    expect(inner?.signal.aborted).toBe(true);
    expect(new URL(inner?.url ?? "").pathname).toBe("/y");
  });
});

/** The least ctx a direct call needs; the test client's would do too. */
function createContextless(): Parameters<Handler>[2] {
  return {
    runtime: "test",
    remoteAddress: undefined,
    props: {},
    platform: undefined,
    waitUntil() {},
    passThroughOnException() {},
  };
}

for (const [way, connect] of ways(mounted)) {
  describe(`examples/mounted.ts (Hono, itty-router and a handler side by side), ${way}`, () => {
    let get: Fetch;
    beforeAll(async () => {
      get = await connect();
    });

    it("routes each prefix to its application", async () => {
      expect(await (await get("/api/users/7")).json()).toEqual({ id: "7", path: "/users/7" });
      expect(await (await get("/legacy/items/3")).json()).toEqual({ item: "3" });
      expect(await (await get("/anything")).text()).toMatch(/^Hello from tsgi on (test|node)!/);
      expect(await (await get("/%61pi/users/8")).json()).toEqual({ id: "8", path: "/users/8" });
      expect((await get("/legacy/none")).status).toBe(404);
    });

    it("lets each application build redirects and links with its prefix", async () => {
      const hono = await get("/api/account");
      expect(hono.status).toBe(303);
      expect(hono.headers.get("location")).toBe("/api/login");
      expect(await (await get("/api/login")).text()).toContain('href="/api/account"');
      const itty = await get("/legacy/moved");
      expect(itty.status).toBe(301);
      expect(new URL(itty.headers.get("location") ?? "").pathname).toBe("/legacy/items/1");
    });

    it("hands a POST body through to Hono", async () => {
      const response = await get("/api/echo", {
        method: "POST",
        headers: { "content-type": "application/octet-stream" },
        body: new Uint8Array([0, 1, 2, 255]),
      });
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array([0, 1, 2, 255]));
    });
  });
}
