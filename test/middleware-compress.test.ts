// compress() over real sockets on every runtime: the coding chosen by Accept-Encoding with q-values, what is
// left alone, Vary, and a live stream that reaches the client chunk by chunk. The client is node:http, which
// (unlike fetch) leaves the coded bytes as they came, so the test decodes them itself.
import { type IncomingMessage, request as httpRequest } from "node:http";
import {
  brotliDecompressSync,
  constants,
  createBrotliDecompress,
  createGunzip,
  createInflate,
  gunzipSync,
  inflateSync,
} from "node:zlib";
import type { Transform } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RuntimeName, startServer, startWorker } from "./runtimes.ts";
import { sampleText } from "./servers/compress-app.ts";

interface Answer {
  status: number;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

function send(
  base: string,
  path: string,
  headers: Record<string, string> = {},
  method = "GET",
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(new URL(path, base), { method, headers }, resolve);
    request.once("error", reject);
    request.end();
  });
}

async function get(base: string, path: string, headers: Record<string, string> = {}, method = "GET"): Promise<Answer> {
  const response = await send(base, path, headers, method);
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return { status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) };
}

const decode: Record<string, (body: Buffer) => Buffer> = {
  gzip: gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
};
const decoder: Record<string, () => Transform> = {
  gzip: () => createGunzip({ flush: constants.Z_SYNC_FLUSH }),
  deflate: () => createInflate({ flush: constants.Z_SYNC_FLUSH }),
  br: () => createBrotliDecompress({ flush: constants.BROTLI_OPERATION_FLUSH }),
};

type Running = { url: string; stderr(): string; stop(): Promise<unknown> };

/** A server of the compress app for the tests in `body`, started before them and stopped after. */
function serving(start: () => Promise<Running>): { base: () => string; stderr: () => string } {
  let running: Running | undefined;
  beforeAll(async () => {
    running = await start();
  }, 30_000);
  afterAll(() => running?.stop());
  return { base: () => running?.url ?? "", stderr: () => running?.stderr() ?? "" };
}

/** The lines of a response body as they arrive, decoded when `coding` says so. */
async function* lines(response: IncomingMessage, coding?: string): AsyncGenerator<string> {
  const decoded = coding === undefined ? response : response.pipe(decoder[coding]());
  let buffered = "";
  for await (const chunk of decoded) {
    buffered += String(chunk);
    for (let end = buffered.indexOf("\n"); end !== -1; end = buffered.indexOf("\n")) {
      yield buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
    }
  }
}

const eventOf = (line: IteratorResult<string>) => (JSON.parse(String(line.value)) as { event: number }).event;

/** Reads a live stream's 3 lines, asking /next for each after the first: each must arrive before the next is made. */
async function expectChunkByChunk(base: string, response: IncomingMessage, id: string, coding?: string): Promise<void> {
  const read = lines(response, coding);
  for (let event = 0; event < 3; event++) {
    expect(eventOf(await read.next())).toBe(event);
    // Only now is the next chunk made.
    await get(base, `/next?id=${id}`);
  }
  expect((await read.next()).done).toBe(true);
}

const runtimes: RuntimeName[] = ["node24", "node22", "deno", "bun"];

for (const runtime of runtimes) {
  describe(`compress() on ${runtime}`, () => {
    const server = serving(() => startServer(runtime, { app: "compress" }));
    const target = { br: true };
    let base = "";
    beforeAll(() => {
      base = server.base();
    });

    it("codes a text body as the client weighs it, drops or corrects Content-Length, adds Vary", async () => {
      const expected = sampleText(4096);
      const cases: [string, string][] = [
        ["gzip", "gzip"],
        ["deflate", "deflate"],
        ["gzip;q=0.5, br;q=1", target.br ? "br" : "gzip"],
        ["br;q=0.1, deflate;q=0.9, gzip;q=0.2", "deflate"],
        ["gzip;q=0, *", target.br ? "br" : "deflate"],
        ["x-gzip", "gzip"],
      ];
      for (const [accept, coding] of cases) {
        const answer = await get(base, "/text", { "accept-encoding": accept });
        expect([accept, answer.headers["content-encoding"]]).toEqual([accept, coding]);
        expect(answer.headers.vary).toBe("Accept-Encoding");
        // Dropped (a stream) or set to the coded length (a whole body, coded at once).
        expect(answer.headers["content-length"] ?? String(answer.body.length)).toBe(String(answer.body.length));
        expect(decode[coding](answer.body).toString()).toBe(expected);
        expect(answer.body.length).toBeLessThan(expected.length / 4);
      }
      // Past 64 KiB a whole body is coded as a stream, not in one call.
      const large = await get(base, "/text?size=300000", { "accept-encoding": "gzip" });
      expect(gunzipSync(large.body).toString()).toBe(sampleText(300_000));
      expect(large.headers["content-length"] ?? String(large.body.length)).toBe(String(large.body.length));
      const declared = await get(base, "/length?size=4096", { "accept-encoding": "gzip" });
      expect(declared.headers["content-encoding"]).toBe("gzip");
      expect(declared.headers["content-length"] ?? String(declared.body.length)).toBe(String(declared.body.length));
      const json = await get(base, "/json", { "accept-encoding": "gzip" });
      expect(json.headers["content-encoding"]).toBe("gzip");
      expect(JSON.parse(gunzipSync(json.body).toString()).items).toHaveLength(100);
    });

    it("sends the identity when nothing acceptable is offered, still with Vary", async () => {
      const none: Record<string, string>[] = [
        {},
        { "accept-encoding": "identity" },
        { "accept-encoding": "gzip;q=0, br;q=0, deflate;q=0" },
      ];
      for (const headers of none) {
        const answer = await get(base, "/text", headers);
        expect(answer.headers["content-encoding"]).toBeUndefined();
        expect(answer.headers.vary).toBe("Accept-Encoding");
        expect(answer.body.toString()).toBe(sampleText(4096));
      }
    });

    it("leaves alone tiny, coded, event-stream, no-transform, image, HEAD, 204 and 304 answers", async () => {
      const gzip = { "accept-encoding": "gzip, deflate, br" };
      const tiny = await get(base, "/text?size=100", gzip);
      expect(tiny.headers["content-encoding"]).toBeUndefined();
      expect(tiny.headers["content-length"]).toBe("100");
      expect(tiny.headers.vary).toBe("Accept-Encoding");
      expect(tiny.body.toString()).toBe(sampleText(100));
      const declared = await get(base, "/length?size=500", gzip);
      expect([declared.headers["content-encoding"], declared.body.length]).toEqual([undefined, 500]);
      const coded = await get(base, "/coded", gzip);
      expect(coded.headers["content-encoding"]).toBe("x-custom");
      expect(coded.body.toString()).toBe(sampleText(4096));
      for (const path of ["/sse", "/no-transform", "/png"]) {
        const answer = await get(base, path, gzip);
        expect([path, answer.headers["content-encoding"], answer.headers.vary]).toEqual([path, undefined, undefined]);
        expect(answer.body.length).toBeGreaterThanOrEqual(4096);
      }
      const head = await get(base, "/text", gzip, "HEAD");
      expect([head.status, head.headers["content-encoding"], head.body.length]).toEqual([200, undefined, 0]);
      expect(head.headers.vary).toBe("Accept-Encoding");
      for (const code of [204, 304]) {
        const answer = await get(base, `/status?code=${code}`, gzip);
        expect([answer.status, answer.headers["content-encoding"], answer.body.length]).toEqual([code, undefined, 0]);
      }
    });

    it("makes a strong ETag weak for the coded body and keeps the Vary it had", async () => {
      const answer = await get(base, "/etag", { "accept-encoding": "gzip" });
      expect(answer.headers["content-encoding"]).toBe("gzip");
      expect(answer.headers.etag).toBe('W/"v1"');
      expect(answer.headers.vary).toBe("Origin, Accept-Encoding");
    });

    it("sends a live stream coded and flushed chunk by chunk: each reaches the client before the next is made", async () => {
      const id = `live-${Math.random()}`;
      const response = await send(base, `/live?id=${id}&chunks=3`, { "accept-encoding": "gzip, br" });
      expect(response.headers["content-encoding"]).toBe("br");
      await expectChunkByChunk(base, response, id, "br");
    }, 15_000);

    it("logger() writes one line per request with method, path, status, bytes and milliseconds", async () => {
      await get(base, "/logged/text?size=100");
      await get(base, "/logged/text", { "accept-encoding": "gzip" });
      const line = /log: GET \/logged\/text\?size=100 200 100b \d+\.\dms\n/;
      await expect.poll(server.stderr, { timeout: 5000 }).toMatch(line);
      // After compress(), it counts the coded bytes: what went to the client.
      await expect
        .poll(server.stderr, { timeout: 5000 })
        .toMatch(/log: GET \/logged\/text 200 [1-9]\d{1,2}b \d+\.\dms\n/);
    });
  });
}

// workerd codes a body itself when the head names gzip or br, so compress() only names the coding there. In
// front of it, as on Cloudflare, the edge (Miniflare's entry worker standing in) tells the worker
// `Accept-Encoding: br, gzip` whatever the client said (compress() reads request.cf.clientAcceptEncoding) and
// codes text types again for the client: the test sees what a client of Cloudflare would.
describe("compress() on workerd", () => {
  const server = serving(() => startWorker({ app: "compress" }));

  it("codes a whole body once, as the client asked", async () => {
    for (const coding of ["gzip", "br"]) {
      const answer = await get(server.base(), "/json", { "accept-encoding": coding });
      expect(answer.headers["content-encoding"]).toBe(coding);
      expect(answer.headers.vary).toBe("Accept-Encoding");
      expect(JSON.parse(decode[coding](answer.body).toString()).items).toHaveLength(100);
    }
  });

  // workerd's own coder holds a stream back until its end (a Response named gzip with this body arrives whole
  // after 1.5 s), so compress() leaves a live stream uncoded there, and it arrives chunk by chunk.
  it("sends a live stream as it is, chunk by chunk: each chunk arrives before the next is made", async () => {
    // workerd cancels a request that waits on another, so here the chunks come 500 ms apart.
    const started = performance.now();
    const response = await send(server.base(), "/live?delay=500&chunks=3", { "accept-encoding": "gzip" });
    expect(response.headers["content-encoding"]).toBeUndefined();
    const read = lines(response);
    for (let event = 0; event < 3; event++) {
      expect(eventOf(await read.next())).toBe(event);
      // Event n is made at n × 500 ms: it arrives well before event n + 1 is made, not with the last.
      expect(performance.now() - started).toBeLessThan(event * 500 + 400);
    }
    expect((await read.next()).done).toBe(true);
  });

  it("leaves HEAD, 204, 304 and event streams alone", async () => {
    const head = await get(server.base(), "/text", { "accept-encoding": "gzip" }, "HEAD");
    expect([head.status, head.body.length]).toEqual([200, 0]);
    for (const code of [204, 304]) {
      const answer = await get(server.base(), `/status?code=${code}`, { "accept-encoding": "gzip" });
      expect([answer.status, answer.body.length]).toEqual([code, 0]);
    }
    const sse = await get(server.base(), "/sse", { "accept-encoding": "identity" });
    expect([sse.headers["content-encoding"], sse.body.length]).toEqual([undefined, 4096 + 8]);
  });

  it("logger() writes its line in the worker", async () => {
    await get(server.base(), "/logged/text?size=100");
    await expect
      .poll(server.stderr, { timeout: 5000 })
      .toMatch(/log: GET \/logged\/text\?size=100 200 100b \d+(\.\d)?ms/);
  });
});
