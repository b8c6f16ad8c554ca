// toLambdaHandler beyond the shared fixtures: VPC Lattice and Lambda@Edge events as AWS documents them,
// the base64 rule, bodiless answers, errors, waitUntil, the timeout signal, env and options.
import { readFileSync } from "node:fs";
import { Hono } from "hono";
import { describe, expect, test } from "vitest";
import { toLambdaHandler, type LambdaOptions } from "../adapters/aws-lambda.ts";
import type { Handler } from "../src/types.ts";
import {
  fixtureDir,
  type HttpApiEvent,
  type LambdaResult,
  lambdaContext,
  resultBytes,
  resultHeaders,
  resultStatus,
} from "./lambda/context.ts";
import { getEvent, kinds } from "./lambda/events.ts";

const fixture = (name: string): HttpApiEvent => JSON.parse(readFileSync(`${fixtureDir + name}.json`, "utf8"));
const v2 = fixture("apigw-v2-get-query");

async function call(app: Handler, event: object = v2, options: LambdaOptions = {}, budget?: number) {
  const errors: unknown[] = [];
  const handler = toLambdaHandler(app, { onError: (error) => errors.push(error), ...options });
  const result = (await handler(event, lambdaContext(budget))) as LambdaResult;
  return { result, errors };
}

// "Lambda functions as targets in VPC Lattice": event structure version 2.
const lattice = {
  version: "2.0",
  path: "/orders/42",
  method: "POST",
  headers: {
    "content-type": ["application/json"],
    host: ["orders.example.com"],
    "x-forwarded-for": ["10.0.2.100"],
    accept: ["text/html", "application/json"],
  },
  queryStringParameters: { expand: ["items", "payer"], note: ["café crème"] },
  body: '{"qty":2}',
  isBase64Encoded: false,
  requestContext: {
    serviceNetworkArn: "arn:aws:vpc-lattice:us-east-2:123456789012:servicenetwork/sn-0bf3f2882e9cc805a",
    serviceArn: "arn:aws:vpc-lattice:us-east-2:123456789012:service/svc-0a40eebed65f8d69c",
    targetGroupArn: "arn:aws:vpc-lattice:us-east-2:123456789012:targetgroup/tg-6d0ecf831eec9f09",
    identity: { sourceVpcArn: "arn:aws:ec2:us-east-2:123456789012:vpc/vpc-0b8276c84697e7339", type: "AWS_IAM" },
    region: "us-east-2",
    timeEpoch: "1690497599177430",
  },
};

// "Lambda@Edge event structure": a viewer-request event with the body included.
const edge = (eventType: string, extra: object = {}) => ({
  Records: [
    {
      cf: {
        config: {
          distributionDomainName: "d111111abcdef8.cloudfront.net",
          distributionId: "EDFDVBD6EXAMPLE",
          eventType,
          requestId: "4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==",
        },
        request: {
          clientIp: "203.0.113.178",
          headers: {
            host: [{ key: "Host", value: "d111111abcdef8.cloudfront.net" }],
            "user-agent": [{ key: "User-Agent", value: "curl/8.6.0" }],
            cookie: [
              { key: "Cookie", value: "a=1" },
              { key: "Cookie", value: "b=2" },
            ],
          },
          method: "PUT",
          querystring: "flag&size=L&q=caf%C3%A9",
          uri: "/items/r%C3%A9sum%C3%A9",
          body: {
            inputTruncated: false,
            action: "read-only",
            encoding: "base64",
            data: Buffer.from([0, 1, 2, 255]).toString("base64"),
          },
        },
        ...extra,
      },
    },
  ],
});

const twoCookies = () => {
  const headers = new Headers({ "content-type": "text/plain" });
  headers.append("set-cookie", "a=1; Path=/");
  headers.append("set-cookie", "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT");
  return headers;
};

describe("VPC Lattice", () => {
  test("arrays of values become one header each; the result is single-value with a status line", async () => {
    let seen: { url: string; accept: string | null; body: string; ip: string | undefined } | undefined;
    const { result, errors } = await call(async (request, _env, ctx) => {
      seen = {
        url: request.url,
        accept: request.headers.get("accept"),
        body: await request.text(),
        ip: ctx.remoteAddress,
      };
      return new Response("created", { status: 201, headers: twoCookies() });
    }, lattice);
    expect(seen).toEqual({
      url: "https://orders.example.com/orders/42?expand=items&expand=payer&note=caf%C3%A9%20cr%C3%A8me",
      accept: "text/html, application/json",
      body: '{"qty":2}',
      ip: "10.0.2.100",
    });
    expect(result).toEqual({
      statusCode: 201,
      statusDescription: "201 Created",
      headers: { "content-type": "text/plain", "set-cookie": "a=1; Path=/" },
      body: "created",
      isBase64Encoded: false,
    });
    expect(errors).toMatchObject([{ code: "TSGI_LAMBDA_COOKIES_DROPPED" }]);
  });
});

describe("Lambda@Edge", () => {
  for (const type of ["viewer-request", "origin-request"]) {
    test(`${type}: raw query (valueless kept), client IP, bytes; result in CloudFront's shape`, async () => {
      let seen: { url: string; cookie: string | null; bytes: number[]; ip: string | undefined } | undefined;
      const { result } = await call(async (request, _env, ctx) => {
        seen = {
          url: request.url,
          cookie: request.headers.get("cookie"),
          bytes: [...new Uint8Array(await request.arrayBuffer())],
          ip: ctx.remoteAddress,
        };
        return new Response(new Uint8Array([1, 2, 3]), {
          status: 202,
          headers: (() => {
            const headers = twoCookies();
            headers.set("content-type", "application/octet-stream");
            return headers;
          })(),
        });
      }, edge(type));
      expect(seen).toEqual({
        url: "https://d111111abcdef8.cloudfront.net/items/r%C3%A9sum%C3%A9?flag&size=L&q=caf%C3%A9",
        cookie: "a=1; b=2",
        bytes: [0, 1, 2, 255],
        ip: "203.0.113.178",
      });
      expect(result).toEqual({
        status: "202",
        statusDescription: "Accepted",
        headers: {
          "content-type": [{ key: "content-type", value: "application/octet-stream" }],
          "set-cookie": [
            { key: "set-cookie", value: "a=1; Path=/" },
            { key: "set-cookie", value: "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT" },
          ],
        },
        body: "AQID",
        bodyEncoding: "base64",
      });
    });
  }

  test("response triggers are not requests to answer", async () => {
    const handler = toLambdaHandler(() => new Response("x"));
    await expect(
      handler(edge("origin-response", { response: { status: "200" } }), lambdaContext()),
    ).rejects.toMatchObject({ code: "TSGI_LAMBDA_UNKNOWN_EVENT", message: expect.stringContaining("origin-response") });
  });
});

describe("response bodies: text stays text, the rest goes base64", () => {
  const utf8 = new TextEncoder().encode("héllo ☕");
  test.each([
    ["text/html; charset=utf-8", null, utf8, false],
    ["application/problem+json", null, utf8, false],
    ["image/svg+xml", null, utf8, false],
    ["text/plain; charset=ISO-8859-1", null, utf8, true],
    ["application/json", "gzip", utf8, true],
    ["text/plain", null, new Uint8Array([0xc3, 0x28]), true],
    ["application/octet-stream", null, utf8, true],
    [null, null, utf8, true],
  ])("%s (encoding %s)", async (type, encoding, bytes, base64) => {
    const headers: Record<string, string> = {};
    if (type) headers["content-type"] = type;
    if (encoding) headers["content-encoding"] = encoding;
    const { result } = await call(() => new Response(bytes, { headers }));
    expect(result.isBase64Encoded).toBe(base64);
    expect(resultBytes(result)).toEqual(bytes);
  });

  test("the bodyEncoding option forces either way", async () => {
    const bodyEncoding = (response: Response) =>
      response.headers.get("content-type") === "application/x-custom-text"
        ? "text"
        : response.headers.get("content-type") === "application/json"
          ? "base64"
          : undefined;
    const text = await call(
      () => new Response("plain", { headers: { "content-type": "application/x-custom-text" } }),
      v2,
      { bodyEncoding },
    );
    expect(text.result).toMatchObject({ body: "plain", isBase64Encoded: false });
    const json = await call(() => Response.json({ a: 1 }), v2, { bodyEncoding });
    expect(json.result).toMatchObject({ body: Buffer.from('{"a":1}').toString("base64"), isBase64Encoded: true });
  });

  test.each([
    ["HEAD", 200],
    ["GET", 204],
    ["GET", 304],
  ])("%s answered %i has an empty body", async (method, status) => {
    const event = structuredClone(v2);
    event.requestContext.http.method = method;
    const { result } = await call(
      () => new Response(status === 200 ? "body" : null, { status, headers: { etag: '"v1"' } }),
      event,
    );
    expect(result).toMatchObject({ statusCode: status, headers: { etag: '"v1"' }, body: "", isBase64Encoded: false });
  });
});

describe("errors, waitUntil, timeout, env", () => {
  test("an application that throws gets a fixed 500 and the error goes to onError", async () => {
    const { result, errors } = await call(() => {
      throw new Error("secret");
    });
    expect(result).toMatchObject({ statusCode: 500, isBase64Encoded: false });
    expect(result.body).not.toContain("secret");
    expect((errors[0] as Error).message).toBe("secret");
  });

  test.each(kinds)(
    "sends no hop-by-hop header back on %s, as fetch(upstream) would carry them [§4.3-e]",
    async (kind) => {
      const event = getEvent(kind);
      const headers = {
        "content-type": "text/plain",
        connection: "keep-alive, x-hop",
        "keep-alive": "timeout=5",
        "x-hop": "secret",
        "transfer-encoding": "chunked",
        "proxy-connection": "keep-alive",
        "x-kept": "yes",
      };
      const { result } = await call(() => new Response("proxied", { headers }), event);
      const sent = Object.keys(resultHeaders(result)).map((name) => name.toLowerCase());
      expect(sent).toContain("x-kept");
      expect(sent.filter((name) => name in headers && name !== "content-type" && name !== "x-kept")).toEqual([]);
      expect(new TextDecoder().decode(resultBytes(result))).toBe("proxied");
    },
  );

  test.each(kinds)("Response.error() is an application error on %s: a 500 in its format, reported", async (kind) => {
    const event = getEvent(kind);
    const { result, errors } = await call(() => Response.error(), event);
    expect(resultStatus(result)).toBe(500);
    expect(new TextDecoder().decode(resultBytes(result))).toBe("Internal Server Error");
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error & { code: string }).code).toBe("TSGI_NOT_A_RESPONSE");
  });

  test("a body that fails while it is read gets a 500 too", async () => {
    const body = new ReadableStream({ pull: (controller) => controller.error(new Error("broken")) });
    const { result, errors } = await call(() => new Response(body, { headers: { "content-type": "text/plain" } }));
    expect(result.statusCode).toBe(500);
    expect((errors[0] as Error).message).toBe("broken");
  });

  test("waitUntil work settles before the invocation returns; a failure in it is reported", async () => {
    let done = false;
    const { result, errors } = await call((_request, _env, ctx) => {
      ctx.waitUntil(
        new Promise((resolve) =>
          setTimeout(() => {
            done = true;
            resolve(true);
          }, 30),
        ),
      );
      ctx.waitUntil(Promise.reject(new Error("late failure")));
      return new Response("ok");
    });
    expect(done).toBe(true);
    expect(result.statusCode).toBe(200);
    expect((errors[0] as Error).message).toBe("late failure");
  });

  test("request.signal aborts when the remaining time runs out", async () => {
    const started = Date.now();
    const { result } = await call(
      (request) =>
        new Promise((resolve) =>
          request.signal.addEventListener("abort", () => resolve(new Response((request.signal.reason as Error).name))),
        ),
      v2,
      {},
      150,
    );
    expect(result.body).toBe("TimeoutError");
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test("env is the process environment, or options.env; ctx.platform has event and context", async () => {
    process.env.TSGI_LAMBDA_TEST = "from process";
    const app: Handler = (_request, env, ctx) =>
      Response.json({ env: env.TSGI_LAMBDA_TEST, platform: Object.keys(ctx.platform as object) });
    expect(JSON.parse((await call(app)).result.body)).toEqual({ env: "from process", platform: ["event", "context"] });
    expect(JSON.parse((await call(app, v2, { env: { TSGI_LAMBDA_TEST: "from options" } })).result.body).env).toBe(
      "from options",
    );
    delete process.env.TSGI_LAMBDA_TEST;
  });

  test("the Request is a real one: copies, clones, bodies and inspection work", async () => {
    const post = fixture("apigw-v2-post-json-named-stage");
    const { result, errors } = await call(async (request) => {
      const copy = new Request(request);
      const clone = copy.clone();
      const text = await clone.text();
      const shown = (await import("node:util")).inspect(request);
      return Response.json({
        isRequest: request instanceof Request,
        same: text === (await copy.text()),
        shown: shown.includes("Request"),
        aborted: request.signal.aborted,
      });
    }, post);
    expect(errors).toEqual([]);
    expect(JSON.parse(result.body)).toEqual({ isRequest: true, same: true, shown: true, aborted: false });
  });

  test("a Hono application runs as it is", async () => {
    const app = new Hono().get("/search", (c) => c.text(`tag=${c.req.queries("tag")?.join("|")}`));
    const { result } = await call(app.fetch as Handler);
    expect(result.body).toBe("tag=coffee|tea|café");
  });

  test("header values the Fetch classes refuse get a 400 in the front door's format; values beyond Latin-1 arrive as their UTF-8 bytes", async () => {
    const bad = structuredClone(v2);
    bad.headers["x-evil"] = "a\r\nb";
    expect((await call(() => new Response("x"), bad)).result).toMatchObject({ statusCode: 400, body: "Bad Request" });
    const utf8 = structuredClone(v2);
    utf8.headers["x-name"] = "Jürgen ☕";
    const { result } = await call(
      (request) => new Response(Buffer.from(request.headers.get("x-name")!, "latin1").toString("utf8")),
      utf8,
    );
    expect(result.body).toBe("Jürgen ☕");
  });

  test("REST header lines: one line per name as it is, several joined, Cookie lines with '; ', and a __proto__ line kept", async () => {
    const rest = fixture("apigw-v1-get-query-multivalue") as unknown as Record<string, Record<string, string[]>>;
    const seen = async (lines: Record<string, string[]>) => {
      const event = { ...rest, multiValueHeaders: { ...rest.multiValueHeaders, ...lines } };
      const { result } = await call((request) => Response.json([...request.headers]), event);
      return new Map(JSON.parse(result.body as string) as [string, string][]);
    };
    const single = await seen({ "X-One": ["1"], Cookie: ["a=1", "b=2"] });
    expect(single.get("x-one")).toBe("1");
    expect(single.get("cookie")).toBe("a=1; b=2");
    expect(single.get("accept-language")).toBe("fr-FR,fr;q=0.9,en;q=0.8");
    const several = await seen({ "X-Two": ["a", "b"], "X-One": ["1"] });
    expect(several.get("x-two")).toBe("a, b");
    expect(several.get("x-one")).toBe("1");
    const proto = JSON.parse('{"__proto__": ["p"], "X-One": ["1"]}') as Record<string, string[]>;
    const odd = await seen(proto);
    expect(odd.get("__proto__")).toBe("p");
    expect(odd.get("x-one")).toBe("1");
  });

  test("a Host header that would reshape the URL is not used", async () => {
    const event = structuredClone(v2);
    event.headers.host = "evil.example/admin?";
    const { result } = await call((request) => new Response(request.url), event);
    expect(result.body).toMatch(/^https:\/\/x8r2mt6vnq\.execute-api\.eu-west-1\.amazonaws\.com\/search\?/);
  });

  test.each([[null], ["text"], [42], [{}], [{ httpMethod: "GET" }]])(
    "%j is refused with a named error",
    async (event) => {
      const handler = toLambdaHandler(() => new Response("x"));
      await expect(handler(event, lambdaContext())).rejects.toMatchObject({
        code: expect.stringMatching(/^TSGI_LAMBDA_(UNKNOWN|MALFORMED)_EVENT$/),
      });
    },
  );

  test("invalid options are refused when the handler is made", () => {
    expect(() => toLambdaHandler(() => new Response("x"), { onError: "log" as never })).toThrow(
      expect.objectContaining({ code: "TSGI_INVALID_OPTION" }),
    );
  });
});
