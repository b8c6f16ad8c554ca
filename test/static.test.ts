// serveStatic (tsgi/static): every case in-process and over a real server on each runtime, then its options.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestClient } from "../adapters/testing.ts";
import { serveStatic } from "../middleware/static.ts";
import { compose } from "../src/compose.ts";
import { InvalidOptionError } from "../src/errors.ts";
import { type RunningServer, type RuntimeName, startServer } from "./runtimes.ts";
import { behind, staticApp } from "./servers/static-app.ts";
import { staticCases, type Send } from "./static/cases.ts";
import { type StaticFixture, staticFixture } from "./static/fixture.ts";

let fixture: StaticFixture;
beforeAll(() => {
  fixture = staticFixture();
});
afterAll(() => fixture.remove());

const identity = (headers: Record<string, string> = {}) => ({ "accept-encoding": "identity", ...headers });

describe("serveStatic in-process", () => {
  const send: Send = (path, init = {}) =>
    createTestClient(staticApp, { env: { TSGI_STATIC_ROOT: fixture.root } }).fetch(path, {
      method: init.method,
      headers: identity(init.headers),
    });
  staticCases(
    () => send,
    () => fixture,
  );
});

for (const runtime of ["node24", "deno", "bun"] satisfies RuntimeName[]) {
  describe(`serveStatic on ${runtime}`, () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer(runtime, { app: "static" }, { TSGI_STATIC_ROOT: fixture.root });
    });
    afterAll(() => server?.stop());
    const send: Send = (path, init = {}) =>
      fetch(new URL(path, server.url), { method: init.method, headers: identity(init.headers), redirect: "manual" });
    staticCases(
      () => send,
      () => fixture,
    );
  });
}

describe("serveStatic options", () => {
  const client = (options: Omit<Parameters<typeof serveStatic>[0], "root">) =>
    createTestClient(compose(serveStatic({ root: fixture.root, ...options }))(behind));
  const text = async (response: Promise<Response>) => (await response).text();

  it("fallthrough: false answers 404 itself for a file that is not there", async () => {
    const response = await client({ fallthrough: false }).fetch("/missing.txt");
    expect(response.status).toBe(404);
    expect(await response.text()).toBe("Not Found\n");
    expect(await text(client({ fallthrough: false }).fetch("/hello.txt", { method: "POST" }))).toBe(
      "app: POST /hello.txt\n",
    );
  });

  it("dotfiles: true serves them; the symlinks that lead out stay refused", async () => {
    expect(await text(client({ dotfiles: true }).fetch("/.hidden/page.html"))).toBe("hidden");
    expect(await text(client({ dotfiles: true }).fetch("/link-out.txt"))).toBe("app: GET /link-out.txt\n");
  });

  it("index: false or another name; precompressed: false; more content types", async () => {
    expect(await text(client({ index: false }).fetch("/"))).toBe("app: GET /\n");
    expect(await text(client({ index: "readme.md" }).fetch("/docs/"))).toBe("# readme\n");
    const plain = await client({ precompressed: false }).fetch("/style.css", { headers: { "accept-encoding": "br" } });
    expect(plain.headers.get("content-encoding")).toBe(null);
    expect(plain.headers.get("vary")).toBe(null);
    const md = await client({ contentTypes: { md: "text/x-markdown" } }).fetch("/docs/readme.md");
    expect(md.headers.get("content-type")).toBe("text/x-markdown");
  });

  it("refuses bad options with a clear error", () => {
    const bad = (options: unknown) => () => serveStatic(options as Parameters<typeof serveStatic>[0]);
    expect(bad(undefined)).toThrow(InvalidOptionError);
    expect(bad({})).toThrow("root must be a directory path");
    expect(bad({ root: `${fixture.root}/nowhere` })).toThrow("is not a directory");
    expect(bad({ root: `${fixture.root}/hello.txt` })).toThrow("is not a directory");
    expect(bad({ root: fixture.root, index: "../x" })).toThrow("index must be a file name");
    expect(bad({ root: fixture.root, cacheControl: "a\r\nb: c" })).toThrow("cacheControl");
  });
});
