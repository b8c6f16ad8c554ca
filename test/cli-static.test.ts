// `tsgi serve --static DIR` on each runtime: the files under DIR first, then the entry's application.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killAll, serveOn, tsgi } from "./cli-process.ts";
import type { RuntimeName } from "./runtimes.ts";
import { type StaticFixture, staticFixture } from "./static/fixture.ts";

let fixture: StaticFixture;
beforeAll(() => {
  fixture = staticFixture();
});
afterAll(() => {
  killAll();
  fixture.remove();
});

for (const runtime of ["node24", "deno", "bun"] satisfies RuntimeName[]) {
  describe(`tsgi serve --static on ${runtime}`, () => {
    it("answers from the directory first and hands the rest to the entry", async () => {
      const server = await serveOn(runtime, "examples/hello.ts", ["--static", fixture.root]);
      try {
        const file = await fetch(new URL("/hello.txt", server.url));
        expect(file.headers.get("content-type")).toBe("text/plain; charset=utf-8");
        expect(await file.text()).toBe("hello, static\n");
        expect(await (await fetch(new URL("/json", server.url))).json()).toEqual({
          hello: "world",
          runtime: runtime === "node24" ? "node" : runtime,
        });
        expect(await (await fetch(new URL("/link-out.txt", server.url))).text()).toMatch(/^Hello from tsgi/);
      } finally {
        expect(await server.stop()).toBe(0);
      }
    });
  });
}

describe("tsgi serve --static errors", () => {
  it.each([
    [["--static", "no-such-dir"], 1, /^tsgi: error: --static: not a directory: no-such-dir/],
    [["--static", "package.json"], 1, /^tsgi: error: --static: not a directory: package\.json/],
    [["--static", ""], 2, /^tsgi: error: --static must not be empty/],
  ] as const)("%j exits %i with one line", async (args, code, pattern) => {
    const result = await tsgi("node24", ["serve", "examples/hello.ts", ...args]);
    expect(result.code).toBe(code);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(pattern);
  });
});
