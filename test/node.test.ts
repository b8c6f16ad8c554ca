import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conformance } from "./conformance/suite.ts";
import { targets } from "./conformance/targets.ts";
import { rawRequest, waitFor } from "./conformance/wire.ts";
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

// What the server holds and drops. A streamed body queues up to 1 MiB in user space before the server waits
// for the client (node-response.ts): the wait comes before a chunk, so a body that ends as it fills the buffer
// is not held for a drain, and a client that leaves during the wait stops the producer without another chunk read.
for (const fastGlobals of [false, true]) {
  describe(`node:http${fastGlobals ? ", fastGlobals" : ""}: what the server buffers and drops`, () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer("node24", { app: "conformance", options: { fastGlobals } });
    }, 30_000);
    afterAll(() => server?.stop());
    const pulled = async (id: string) =>
      ((await (await fetch(new URL(`/pulled?id=${id}`, server.url))).json()) as number | null) ?? 0;

    it("sends a body of 16 chunks of 64 KiB, exactly the buffer, whole and in order", async () => {
      const response = await fetch(new URL("/stream?chunks=16&size=65536", server.url));
      const body = new Uint8Array(await response.arrayBuffer());
      expect(body.byteLength).toBe(16 * 65536);
      for (let chunk = 0; chunk < 16; chunk++) {
        expect(body[chunk * 65536]).toBe(97 + chunk);
        expect(body[chunk * 65536 + 65535]).toBe(97 + chunk);
      }
    });

    it("stops pulling when a client that stopped reading leaves while the server waits for it", async () => {
      const id = `edge-${Math.random()}`;
      const socket = await rawRequest(
        server.url,
        `GET /stream?id=${id}&chunks=1024&size=65536 HTTP/1.1\r\nHost: x\r\n\r\n`,
        { keepOpen: true, readNothing: true },
      );
      // Filled: the socket buffers and the server's 1 MiB are full, and the producer waits with them.
      let seen = 0;
      await waitFor(async () => {
        const now = await pulled(id);
        const still = now > 16 && now === seen;
        seen = now;
        return still;
      });
      socket.close();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const after = await pulled(id);
      expect(after).toBeLessThan(1024);
      // The stream queues one chunk ahead of the reader; nothing past that is made once the client is gone.
      expect(after - seen).toBeLessThanOrEqual(1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await pulled(id)).toBe(after);
    });

    // The Content-Length the server adds goes on the wire, not into the application's Response.
    it("leaves a sent Response's headers as the application made them, and answers 500 for a value HTTP refuses", async () => {
      const get = (path: string) => fetch(new URL(path, server.url));
      const sent = await get("/keep?id=sent");
      expect(await sent.text()).toBe("kept");
      expect(sent.headers.get("content-length")).toBe("4");
      const headersOf = async (id: string) => (await (await get(`/kept-headers?id=${id}`)).json()) as string[][];
      expect(await headersOf("sent")).toEqual([
        ["content-type", "text/plain;charset=UTF-8"],
        ["x-kept", "1"],
      ]);
      // Fetch takes U+0001 in a value; node:http refuses it as the head is written.
      const refused = await get("/keep?id=refused&value=a%01b");
      expect(refused.status).toBe(500);
      expect(await headersOf("refused")).toEqual([
        ["content-type", "text/plain;charset=UTF-8"],
        ["x-kept", "a\u0001b"],
      ]);
      expect((await get("/hello")).status).toBe(200);
    });

    // tsgi reads no body of a GET: node:http drops it once the response ends, and the connection goes on.
    it("keeps a connection alive after a GET whose body nothing reads", async () => {
      const body = "x".repeat(100_000);
      const replies = await rawRequest(
        server.url,
        `GET /hello HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}GET /json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );
      expect(replies.raw.match(/HTTP\/1\.1 200/g)).toHaveLength(2);
      expect(replies.raw).toContain("\r\n\r\nhello");
      expect(replies.raw.endsWith('"runtime":"node"}')).toBe(true);
    });
  });
}
