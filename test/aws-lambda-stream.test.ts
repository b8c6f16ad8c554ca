// toStreamingLambdaHandler against an `awslambda` double that keeps the runtime's documented contract
// over a real Node Writable: prelude first, drain respected, a gone client stops the producer.
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { toStreamingLambdaHandler, type StreamingLambdaHandler } from "../adapters/aws-lambda.ts";
import { mode } from "./lambda/mode.ts";
import type { Handler } from "../src/types.ts";
import { installAwsLambda, preludeContentType, received, ResponseStream } from "./lambda/awslambda.ts";
import { fixtureDir, type HttpApiEvent, lambdaContext } from "./lambda/context.ts";
import { functionUrl as functionUrlServer } from "./lambda/function-url.ts";

const event = (name: string): unknown => JSON.parse(readFileSync(`${fixtureDir + name}.json`, "utf8"));
const functionUrl = event("lambda-url-get") as HttpApiEvent;
const rest = event("apigw-v1-cookies") as object;

let uninstall: () => void;
beforeAll(() => {
  uninstall = installAwsLambda();
});
afterAll(() => uninstall());

function streaming(app: Handler) {
  const errors: unknown[] = [];
  const handler = toStreamingLambdaHandler(app, {
    onError: (error) => errors.push(error),
    fastGlobals: mode.fastGlobals,
  });
  return { handler, errors };
}

async function invoke(handler: StreamingLambdaHandler, input: object, stream = new ResponseStream(), budget?: number) {
  await handler(input, stream, lambdaContext(budget));
  return { stream, ...received(stream) };
}

const twoCookies = (): Headers => {
  const headers = new Headers({ "content-type": "text/plain; charset=utf-8", vary: "Accept" });
  headers.append("vary", "Accept-Encoding");
  headers.append("set-cookie", "sid=abc; Path=/; HttpOnly");
  headers.append("set-cookie", "theme=dark; Expires=Wed, 21 Oct 2026 07:28:00 GMT");
  return headers;
};

describe("toStreamingLambdaHandler", () => {
  test.each([
    ["Function URL", functionUrl],
    ["REST", rest],
  ])("%s: Response.error() streams a reported 500", async (_name, input) => {
    const { handler, errors } = streaming(() => Response.error());
    const { prelude, body } = await invoke(handler, input);
    expect(prelude?.statusCode).toBe(500);
    expect(body.toString()).toBe("Internal Server Error");
    expect((errors[0] as Error & { code: string }).code).toBe("TSGI_NOT_A_RESPONSE");
  });

  test("Function URL: status, headers and cookies go first in the prelude, then the body", async () => {
    const { handler, errors } = streaming(() => new Response("hello world", { status: 201, headers: twoCookies() }));
    const { contentType, prelude, body, stream } = await invoke(handler, functionUrl);
    expect(contentType).toBe(preludeContentType);
    expect(prelude).toEqual({
      statusCode: 201,
      headers: { "content-type": "text/plain; charset=utf-8", vary: "Accept, Accept-Encoding" },
      cookies: ["sid=abc; Path=/; HttpOnly", "theme=dark; Expires=Wed, 21 Oct 2026 07:28:00 GMT"],
    });
    expect(body.toString()).toBe("hello world");
    expect(stream.writableFinished).toBe(true);
    expect(errors).toEqual([]);
  });

  test("REST: cookies go in multiValueHeaders Set-Cookie, never in a cookies key", async () => {
    const { handler } = streaming(() => new Response("hi", { headers: twoCookies() }));
    const { prelude } = await invoke(handler, rest);
    expect(prelude).toEqual({
      statusCode: 200,
      headers: { "content-type": "text/plain; charset=utf-8", vary: "Accept, Accept-Encoding" },
      multiValueHeaders: {
        "Set-Cookie": ["sid=abc; Path=/; HttpOnly", "theme=dark; Expires=Wed, 21 Oct 2026 07:28:00 GMT"],
      },
    });
  });

  test.each([
    ["a redirect with no body", () => Response.redirect("https://example.com/next", 302), 302],
    ["a 204", () => new Response(null, { status: 204 }), 204],
    ["a 304", () => new Response(null, { status: 304, headers: { etag: '"v1"' } }), 304],
  ])("%s still sends its status and headers", async (_name, make, status) => {
    const { handler } = streaming(make);
    const { prelude, body, stream } = await invoke(handler, functionUrl);
    expect(prelude?.statusCode).toBe(status);
    expect(body.byteLength).toBe(0);
    expect(stream.writableFinished).toBe(true);
  });

  test("HEAD gets the prelude and no body", async () => {
    const { handler } = streaming(() => new Response("body", { headers: { "content-type": "text/plain" } }));
    const head = structuredClone(functionUrl);
    head.requestContext.http.method = "HEAD";
    const { prelude, body } = await invoke(handler, head);
    expect(prelude).toEqual({ statusCode: 200, headers: { "content-type": "text/plain" } });
    expect(body.byteLength).toBe(0);
  });

  test("binary bodies stream as raw bytes", async () => {
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 7) % 256);
    const { handler } = streaming(
      () => new Response(bytes, { headers: { "content-type": "application/octet-stream" } }),
    );
    const { body, prelude } = await invoke(handler, functionUrl);
    expect(prelude?.headers["content-type"]).toBe("application/octet-stream");
    expect(new Uint8Array(body)).toEqual(bytes);
  });

  test("a slow client holds the producer back: the body is pulled only as the stream drains", async () => {
    let pulled = 0;
    const chunk = new Uint8Array(16 * 1024).fill(97);
    const { handler } = streaming(
      () =>
        new Response(
          new ReadableStream(
            {
              pull(controller) {
                if (++pulled > 64) controller.close();
                else controller.enqueue(chunk);
              },
            },
            { highWaterMark: 0 },
          ),
        ),
    );
    const stream = new ResponseStream(32 * 1024);
    stream.hold();
    const done = handler(functionUrl, stream, lambdaContext());
    await new Promise((resolve) => setTimeout(resolve, 100));
    // 1 MiB is on offer; with the client stalled only what fits the stream's buffer was read.
    expect(pulled).toBeLessThan(6);
    expect(stream.writableLength).toBeLessThanOrEqual(48 * 1024);
    stream.release();
    await done;
    expect(received(stream).body.byteLength).toBe(64 * chunk.byteLength);
  });

  test("a client that goes away stops the producer and aborts request.signal, without an error", async () => {
    let cancelled: unknown = "not cancelled";
    let signal: AbortSignal | undefined;
    const { handler, errors } = streaming((request) => {
      signal = request.signal;
      let n = 0;
      return new Response(
        new ReadableStream({
          pull: (controller) =>
            new Promise((resolve) =>
              setTimeout(() => {
                if (cancelled === "not cancelled") controller.enqueue(new TextEncoder().encode(`tick ${n++}\n`));
                resolve();
              }, 5),
            ),
          cancel: (reason) => {
            cancelled = reason;
          },
        }),
      );
    });
    const stream = new ResponseStream();
    const done = handler(functionUrl, stream, lambdaContext());
    await new Promise((resolve) => setTimeout(resolve, 60));
    stream.destroy();
    await done;
    expect(cancelled).not.toBe("not cancelled");
    expect(signal?.aborted).toBe(true);
    expect(errors).toEqual([]);
    expect(received(stream).body.toString()).toMatch(/^tick 0\n/);
  });

  test("waitUntil work runs after the response has ended, and the invocation waits for it", async () => {
    const stream = new ResponseStream();
    let endedBeforeWork: boolean | undefined;
    let workDone = false;
    const { handler } = streaming((_request, _env, ctx) => {
      ctx.waitUntil(
        new Promise<void>((resolve) =>
          setTimeout(() => {
            endedBeforeWork = stream.writableEnded;
            workDone = true;
            resolve();
          }, 30),
        ),
      );
      return new Response("done");
    });
    await handler(functionUrl, stream, lambdaContext());
    expect(workDone).toBe(true);
    expect(endedBeforeWork).toBe(true);
  });

  test("an application that throws gets a 500 prelude and the error is reported", async () => {
    const { handler, errors } = streaming(() => {
      throw new Error("secret detail");
    });
    const { prelude, body } = await invoke(handler, functionUrl);
    expect(prelude?.statusCode).toBe(500);
    expect(body.toString()).not.toContain("secret");
    expect(errors).toHaveLength(1);
  });

  test("a body that fails midway cuts the stream after the status and reports the error", async () => {
    const { handler, errors } = streaming(
      () =>
        new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode("partial"));
              setTimeout(() => controller.error(new Error("disk gone")), 10);
            },
          }),
        ),
    );
    const stream = new ResponseStream();
    stream.on("error", () => {});
    const { prelude, body } = await invoke(handler, functionUrl, stream);
    expect(prelude?.statusCode).toBe(200);
    expect(body.toString()).toBe("partial");
    expect(stream.destroyed).toBe(true);
    expect(stream.writableFinished).toBe(false);
    expect((errors[0] as Error).message).toBe("disk gone");
  });

  test("request.signal aborts when the remaining time runs out", async () => {
    const { handler } = streaming(
      (request) =>
        new Promise<Response>((resolve) => {
          request.signal.addEventListener("abort", () =>
            resolve(new Response(String((request.signal.reason as Error).name))),
          );
        }),
    );
    const started = Date.now();
    const { body } = await invoke(handler, functionUrl, new ResponseStream(), 200);
    expect(body.toString()).toBe("TimeoutError");
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test("front doors that cannot stream get a clear error; the app is not called", async () => {
    let called = false;
    const { handler } = streaming(() => {
      called = true;
      return new Response("x");
    });
    await expect(handler(event("alb-get-query"), new ResponseStream(), lambdaContext())).rejects.toMatchObject({
      code: "TSGI_LAMBDA_UNKNOWN_EVENT",
    });
    await expect(handler(event("not-http-sqs-message"), new ResponseStream(), lambdaContext())).rejects.toThrow(
      /aws:sqs/,
    );
    expect(called).toBe(false);
  });

  test("without the awslambda global it says streaming needs Lambda's runtime", () => {
    uninstall();
    try {
      expect(() => toStreamingLambdaHandler(() => new Response("x"))).toThrow(
        expect.objectContaining({ code: "TSGI_LAMBDA_NO_STREAMING" }),
      );
    } finally {
      uninstall = installAwsLambda();
    }
  });
});

describe("through a Function URL stand-in on loopback, with real clients", () => {
  test("fetch gets the status, each cookie as its own Set-Cookie line, and the body as it is produced", async () => {
    const { handler } = streaming(async (request) => {
      const got = new Uint8Array(await request.arrayBuffer());
      const parts = ["one ", "two ", `three ${got.byteLength}`];
      return new Response(
        new ReadableStream({
          pull: (controller) =>
            parts.length ? controller.enqueue(new TextEncoder().encode(parts.shift())) : controller.close(),
        }),
        { status: 201, headers: twoCookies() },
      );
    });
    const server = await functionUrlServer(handler);
    try {
      const response = await fetch(`${server.url}upload?x=1`, { method: "POST", body: new Uint8Array(1000).fill(255) });
      expect(response.status).toBe(201);
      expect(response.headers.getSetCookie()).toEqual([
        "sid=abc; Path=/; HttpOnly",
        "theme=dark; Expires=Wed, 21 Oct 2026 07:28:00 GMT",
      ]);
      expect(response.headers.get("vary")).toBe("Accept, Accept-Encoding");
      expect(await response.text()).toBe("one two three 1000");
    } finally {
      await server.close();
    }
  });

  test("a client that stops reading holds the producer back; when it leaves, the producer stops", async () => {
    let pulled = 0;
    let cancelled = false;
    let signal: AbortSignal | undefined;
    const chunk = new Uint8Array(64 * 1024).fill(120);
    const { handler, errors } = streaming((request) => {
      signal = request.signal;
      return new Response(
        new ReadableStream(
          {
            pull: (controller) => void (++pulled <= 1024 ? controller.enqueue(chunk) : controller.close()),
            cancel: () => {
              cancelled = true;
            },
          },
          { highWaterMark: 0 },
        ),
      );
    });
    const server = await functionUrlServer(handler);
    try {
      const { port } = new URL(server.url);
      const socket = connect(Number(port), "127.0.0.1");
      socket.write(`GET /big HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      socket.pause();
      await new Promise((resolve) => setTimeout(resolve, 400));
      // 64 MiB on offer; the stalled client let through only what the socket buffers hold.
      const stalledAt = pulled;
      expect(stalledAt).toBeGreaterThan(0);
      expect(stalledAt).toBeLessThan(512);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(pulled - stalledAt).toBeLessThanOrEqual(1);
      socket.destroy();
      await Promise.all(server.invocations);
      expect(cancelled).toBe(true);
      expect(signal?.aborted).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
