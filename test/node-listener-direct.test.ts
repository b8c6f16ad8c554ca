// fromNodeListener's direct option under tsgi/node's serve: the listener gets Node's real req and res, with
// no in-memory connection, and still composes with mount, answers errors with a reported 500, and streams.
import { Socket } from "node:net";
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromNodeListener, serve } from "../adapters/node.ts";
import { mount } from "../src/mount.ts";
import type { Server } from "../src/types.ts";
import { rawRequest, waitFor } from "./conformance/wire.ts";
import { expressApp } from "./listeners/frameworks.ts";
import { plainListener } from "./listeners/plain.ts";

const errors: unknown[] = [];
let seenSocket: unknown;
function spy(req: IncomingMessage, res: ServerResponse): unknown {
  seenSocket = req.socket;
  return plainListener(req, res);
}

describe("fromNodeListener({ direct: true }) under tsgi/node's serve", () => {
  let server: Server;
  beforeAll(async () => {
    const app = mount({
      "/plain": fromNodeListener(spy, { direct: true }),
      "/express": fromNodeListener(expressApp(), { direct: true }),
      "/": () => new Response("fetch route"),
    });
    server = await serve(app, { port: 0, hostname: "127.0.0.1", onError: (error) => errors.push(error) });
  });
  afterAll(() => server.close());
  const url = (path: string): URL => new URL(path, server.url);

  it("hands the listener Node's own req, with req.url under the mount and the raw header case", async () => {
    const reply = await rawRequest(
      server.url,
      "GET /plain/request?x=1 HTTP/1.1\r\nHost: h\r\nX-Mixed-Case: 1\r\nConnection: close\r\n\r\n",
    );
    const seen = JSON.parse(reply.raw.slice(reply.head.length + 4));
    expect(seen.url).toBe("/request?x=1");
    expect(seen.rawHeaders).toContain("X-Mixed-Case");
    expect(seenSocket).toBeInstanceOf(Socket);
  });

  it("keeps status, reason, headers, cookies and the body as the listener writes them", async () => {
    const status = await fetch(url("/plain/status"));
    expect([status.status, status.statusText, await status.text()]).toEqual([299, "Quite Fine", "custom"]);
    const headers = await fetch(url("/plain/headers"));
    expect(headers.headers.getSetCookie()).toHaveLength(3);
    const body = crypto.getRandomValues(new Uint8Array(60_000));
    const echo = await fetch(url("/plain/echo"), { method: "POST", body });
    expect(new Uint8Array(await echo.arrayBuffer())).toEqual(body);
    const json = await fetch(url("/express/json"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"a":1}',
    });
    expect(await json.json()).toEqual({ received: { a: 1 } });
  });

  it("streams events as written, and sends HEAD and 204 with no body", async () => {
    const started = Date.now();
    const response = await fetch(url("/plain/flush"));
    expect(Date.now() - started).toBeLessThan(250);
    expect(await response.text()).toBe("after a while");
    expect(await (await fetch(url("/plain/empty?status=204"))).text()).toBe("");
    expect(await (await fetch(url("/plain/request"), { method: "HEAD" })).text()).toBe("");
  });

  it("gives a reported 500 for a listener that throws, rejects or finishes without answering, and goes on", async () => {
    for (const path of ["throw", "reject", "silent"]) {
      const response = await fetch(url(`/plain/${path}`));
      expect([path, response.status, await response.text()]).toEqual([path, 500, "Internal Server Error"]);
    }
    await waitFor(() => errors.length === 3);
    expect(errors.map((error) => (error as Error).message)).toEqual([
      "the Node listener threw",
      "the Node listener rejected",
      "the Node listener finished without answering",
    ]);
    expect(await (await fetch(url("/"))).text()).toBe("fetch route");
  });
});
