import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conformance } from "./conformance/suite.ts";
import { targets } from "./conformance/targets.ts";
import { rawRequest } from "./conformance/wire.ts";
import { type RunningServer, startServer } from "./runtimes.ts";

// node:http on the two Node.js lines the package supports.
conformance(targets.node22);
conformance(targets.node24);
// The same suite with tsgi's own Request, Response and Headers in the globals.
conformance({
  ...targets.node24,
  name: "node24, fastGlobals",
  start: () => startServer("node24", { app: "conformance", options: { fastGlobals: true } }),
});

// The Node adapter's one-write path: a body whose end is ready within a few microtasks goes out with a
// Content-Length, any other streams chunked. The two Node lines' undici take different numbers of
// microtasks to end a body wrapped in another stream.
for (const runtime of ["node22", "node24"] as const) {
  describe(`node:http on ${runtime}: one write for a body complete at once`, () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer(runtime, { app: "conformance" });
    }, 30_000);
    afterAll(() => server?.stop());
    const get = (path: string) =>
      rawRequest(server.url, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, { timeout: 5000 });

    it("sends a body rewrapped in a stream that ends at once with its Content-Length", async () => {
      const reply = await get("/rewrapped");
      expect(reply.head.toLowerCase()).toContain("\r\ncontent-length: 9");
      expect(reply.head.toLowerCase()).not.toContain("transfer-encoding");
      expect(reply.raw.endsWith("\r\n\r\nrewrapped")).toBe(true);
    });

    it("streams one that ends a turn after its last chunk, chunked", async () => {
      const reply = await get("/rewrapped?later");
      expect(reply.head.toLowerCase()).toContain("\r\ntransfer-encoding: chunked");
      expect(reply.head.toLowerCase()).not.toContain("content-length");
      expect(reply.raw).toContain("\r\n9\r\nrewrapped\r\n0\r\n\r\n");
    });
  });
}
