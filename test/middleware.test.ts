// tsgi/middleware in-process: Accept-Encoding negotiation, compress()'s options and immutable heads, and
// logger()'s lines. What they do over real sockets on every runtime is in test/middleware-compress.test.ts.
import { gunzipSync } from "node:zlib";
import { describe, expect, it, vi } from "vitest";
import { compress, logger, negotiateEncoding } from "../middleware/index.ts";
import { readFileSync } from "node:fs";
import { toLambdaHandler } from "../adapters/aws-lambda.ts";
import { createTestClient } from "../adapters/testing.ts";
import { fixtureDir, type LambdaResult, lambdaContext } from "./lambda/context.ts";
import { compose } from "../src/compose.ts";
import { InvalidOptionError } from "../src/errors.ts";
import { sampleText } from "./servers/compress-app.ts";

describe("negotiateEncoding", () => {
  const all = ["br", "gzip", "deflate"] as const;
  it.each([
    [null, undefined],
    ["", undefined],
    ["gzip", "gzip"],
    ["GZIP", "gzip"],
    ["x-gzip", "gzip"],
    ["gzip, deflate, br", "br"],
    ["gzip;q=1, br;q=0.9", "gzip"],
    ["gzip;q=0.5, deflate;q=0.5", "gzip"],
    ["*", "br"],
    ["br;q=0, *;q=0.1", "gzip"],
    ["identity", undefined],
    ["gzip;q=0", undefined],
    ["gzip;q=1.5", undefined],
    ["gzip;q=abc, deflate", "deflate"],
    ["compress, zstd", undefined],
    [" gzip ; q=0.8 , deflate ; q=0.9 ", "deflate"],
  ])("%j → %s", (header, expected) => {
    expect(negotiateEncoding(header, all)).toBe(expected);
  });
  it("offers only what the server has", () => {
    expect(negotiateEncoding("br, gzip;q=0.5", ["gzip", "deflate"])).toBe("gzip");
  });
});

describe("compress()", () => {
  const big = sampleText(4096);
  it("rejects bad options", () => {
    expect(() => compress({ threshold: -1 })).toThrow(InvalidOptionError);
    expect(() => compress({ encodings: ["zstd" as "gzip"] })).toThrow(InvalidOptionError);
  });

  it("codes a Response whose head is immutable (from fetch) by building it again", async () => {
    const upstream = await fetch(`data:text/plain,${encodeURIComponent(big)}`);
    expect(() => upstream.headers.set("x", "y")).toThrow();
    const client = createTestClient(compress()(() => upstream));
    const response = await client.fetch("/", { headers: { "accept-encoding": "gzip" } });
    expect(response.headers.get("content-encoding")).toBe("gzip");
    expect(response.headers.get("vary")).toBe("Accept-Encoding");
    expect(gunzipSync(await response.bytes()).toString()).toBe(big);
  });

  it("takes threshold, encodings and filter", async () => {
    const app = (request: Request) => new Response(new URL(request.url).pathname === "/small" ? "x".repeat(20) : big);
    const client = createTestClient(
      compress({ threshold: 10, encodings: ["deflate"], filter: (_, request) => !request.url.endsWith("/raw") })(app),
    );
    const accept = { headers: { "accept-encoding": "gzip, deflate, br" } };
    expect((await client.fetch("/small", accept)).headers.get("content-encoding")).toBe("deflate");
    expect((await client.fetch("/", accept)).headers.get("content-encoding")).toBe("deflate");
    const raw = await client.fetch("/raw", accept);
    expect([raw.headers.get("content-encoding"), raw.headers.get("vary")]).toEqual([null, null]);
  });

  it("codes a Lambda answer, which goes base64 with its Content-Encoding", async () => {
    const handler = toLambdaHandler(compress()(() => new Response(big)));
    const v2 = JSON.parse(readFileSync(`${fixtureDir}apigw-v2-get-query.json`, "utf8"));
    const event = { ...v2, headers: { ...v2.headers, "accept-encoding": "gzip" } };
    const result = (await handler(event, lambdaContext())) as LambdaResult & { headers: Record<string, string> };
    expect(result).toMatchObject({ statusCode: 200, isBase64Encoded: true });
    expect(result.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(Buffer.from(result.body, "base64")).toString()).toBe(big);
  });

  it("passes on what is not a Response, for the server's 500", async () => {
    const client = createTestClient(compress()(() => ({ status: 200 }) as unknown as Response));
    const response = await client.fetch("/", { headers: { "accept-encoding": "gzip" } });
    expect(response.status).toBe(500);
  });
});

describe("logger()", () => {
  const app = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    if (path === "/throw") throw new Error("boom");
    if (path === "/empty") return new Response(null, { status: 204 });
    return new Response("hello world");
  };

  it("writes method, path with query, status, bytes and ms once the body is read", async () => {
    const lines: string[] = [];
    const client = createTestClient(logger({ write: (line) => lines.push(line) })(app));
    const response = await client.fetch("/a%20b?x=1&y");
    expect(lines).toEqual([]);
    expect(await response.text()).toBe("hello world");
    expect(lines).toEqual([expect.stringMatching(/^GET \/a%20b\?x=1&y 200 11b \d+\.\dms$/)]);
    await client.fetch("/empty", { method: "DELETE" });
    await client.fetch("/", { method: "HEAD" });
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^DELETE \/empty 204 0b \d+\.\dms$/),
      expect.stringMatching(/^HEAD \/ 200 0b \d+\.\dms$/),
    ]);
  });

  it("logs a throw as 500 and lets the server answer it", async () => {
    const lines: string[] = [];
    const client = createTestClient(logger({ write: (line) => lines.push(line) })(app));
    const response = await client.fetch("/throw");
    expect(response.status).toBe(500);
    expect(response.errors).toHaveLength(1);
    expect(lines).toEqual([expect.stringMatching(/^GET \/throw 500 0b /)]);
  });

  it("logs the bytes sent so far when the client goes away", async () => {
    const lines: string[] = [];
    const client = createTestClient(logger({ write: (line) => lines.push(line) })(app));
    const response = await client.fetch("/");
    await response.body?.cancel();
    expect(lines).toEqual([expect.stringMatching(/^GET \/ 200 0b /)]);
  });

  it("writes the Common Log Format, and to console.log by default", async () => {
    const lines: string[] = [];
    const client = createTestClient(logger({ format: "common", write: (line) => lines.push(line) })(app), {
      remoteAddress: "203.0.113.7",
    });
    await (await client.fetch("/x?q=1")).text();
    await client.fetch("/empty");
    expect(lines[0]).toMatch(
      /^203\.0\.113\.7 - - \[\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET \/x\?q=1 HTTP\/1\.1" 200 11$/,
    );
    expect(lines[1]).toMatch(/"GET \/empty HTTP\/1\.1" 204 -$/);
    expect(() => logger({ format: "fancy" as "short" })).toThrow(InvalidOptionError);
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      await (await createTestClient(compose(logger())(app)).fetch("/")).text();
      expect(log).toHaveBeenCalledWith(expect.stringMatching(/^GET \/ 200 11b /));
    } finally {
      log.mockRestore();
    }
  });
});
