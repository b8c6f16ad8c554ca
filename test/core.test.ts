// The shared core of src/, in-process: what every adapter relies on.
import { describe, expect, it } from "vitest";
import { isApp, toHandler } from "../src/app.ts";
import { callApp } from "../src/server/call-app.ts";
import { compose } from "../src/compose.ts";
import {
  BodyTooLargeError,
  InvalidOptionError,
  NotAnApplicationError,
  NotAResponseError,
  TsgiError,
  UnsupportedRuntimeError,
} from "../src/errors.ts";
import { limitBody } from "../src/server/body-limit.ts";
import { isBodyless } from "../src/no-body.ts";
import { resolveOptions, serverUrl } from "../src/server/options.ts";
import { PendingWork } from "../src/server/pending-work.ts";
import { forwardedAddress } from "../src/server/remote-address.ts";
import { createTestClient } from "../adapters/testing.ts";
import type { Handler, Middleware } from "../src/types.ts";

const request = new Request("http://x/");

describe("applications", () => {
  it("accepts handlers and objects with fetch, and refuses anything else clearly [§3.1-a]", async () => {
    expect(isApp(() => new Response())).toBe(true);
    expect(isApp({ fetch: () => new Response() })).toBe(true);
    expect(isApp({ fetch: 1 })).toBe(false);
    const app = {
      greeting: "hi",
      fetch(this: { greeting: string }) {
        return new Response(this.greeting);
      },
    };
    expect(await (await toHandler(app)(request, {}, createTestContext())).text()).toBe("hi");
    expect(() => toHandler(42 as never)).toThrow(
      "expected an application (a function or an object with fetch), got a number",
    );
    expect(() => toHandler(42 as never)).toThrow(NotAnApplicationError);
  });

  it("throws an UnsupportedRuntimeError for an adapter used off its runtime (Deno's and Bun's, here on Node)", async () => {
    for (const adapter of [await import("../adapters/deno.ts"), await import("../adapters/bun.ts")]) {
      const refused = await adapter.serve(() => new Response("x"), { port: 0 }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(UnsupportedRuntimeError);
      expect(refused).toBeInstanceOf(TsgiError);
    }
  });

  it("composes middleware in reading order [§6-a]", async () => {
    const trace: string[] = [];
    const tag =
      (name: string): Middleware =>
      (next) =>
      async (req, env, ctx) => {
        trace.push(`${name} in`);
        const response = await next(req, env, ctx);
        trace.push(`${name} out`);
        return response;
      };
    const app = compose(tag("a"), tag("b"))(() => new Response("ok"));
    await createTestClient(app).fetch("/");
    expect(trace).toEqual(["a in", "b in", "b out", "a out"]);
  });
});

describe("callApp", () => {
  const reported: unknown[] = [];
  const call = (handler: Handler) =>
    callApp(handler, request, {}, createTestContext(), (error) => reported.push(error));

  it("keeps a synchronous Response synchronous", () => {
    expect(call(() => new Response("sync"))).toBeInstanceOf(Response);
  });

  it("turns throws, rejections and non-Responses into a reported 500", async () => {
    reported.length = 0;
    const results = await Promise.all([
      call(() => {
        throw new Error("boom");
      }),
      call(async () => {
        throw new Error("late");
      }),
      call(() => "text" as never),
      call(async () => 1 as never),
    ]);
    expect(results.map((response) => response.status)).toEqual([500, 500, 500, 500]);
    expect(await results[0].text()).toBe("Internal Server Error");
    // Synchronous failures are reported at once, asynchronous ones when they settle.
    expect(reported.map((error) => (error as Error).message)).toEqual([
      "boom",
      "application returned a string, not a Response (SPEC.md §3.4)",
      "late",
      "application returned a number, not a Response (SPEC.md §3.4)",
    ]);
    expect(reported[1]).toBeInstanceOf(NotAResponseError);
  });

  it("answers Response.error(), sync or async, with a reported 500", async () => {
    reported.length = 0;
    const results = await Promise.all([call(() => Response.error()), call(async () => Response.error())]);
    expect(results.map((response) => response.status)).toEqual([500, 500]);
    expect(reported.map((error) => (error as NotAResponseError).code)).toEqual([
      "TSGI_NOT_A_RESPONSE",
      "TSGI_NOT_A_RESPONSE",
    ]);
    expect((reported[0] as Error).message).toContain("Response.error()");
  });

  it("takes an error the runtime gives for a broken-off body as the client's: 400, not reported", async () => {
    reported.length = 0;
    const brokenOff = (error: unknown) => error instanceof Error && error.message === "client gone";
    const response = await callApp(
      () => Promise.reject(new Error("client gone")),
      request,
      {},
      createTestContext(),
      (error) => reported.push(error),
      { brokenOff },
    );
    expect(response.status).toBe(400);
    expect(reported).toEqual([]);
  });

  it("answers 413 for a body over the limit without reporting it", async () => {
    reported.length = 0;
    const response = await call(() => {
      throw new BodyTooLargeError(10);
    });
    expect(response.status).toBe(413);
    expect(reported).toEqual([]);
  });
});

describe("the shared server parts", () => {
  it("waits for waitUntil work, including work added while waiting, and reports rejections", async () => {
    const reported: unknown[] = [];
    const work = new PendingWork((error) => reported.push(error));
    let finished = 0;
    work.add(
      new Promise((resolve) => setTimeout(resolve, 20)).then(() => {
        finished++;
        work.add(Promise.resolve().then(() => finished++));
      }),
    );
    work.add(Promise.reject(new Error("failed work")));
    await work.settled();
    expect(finished).toBe(2);
    expect((reported[0] as Error).message).toBe("failed work");
    expect(work.size).toBe(0);
  });

  it("limits a streamed body", async () => {
    const body = new Response(new Uint8Array(100)).body!;
    await expect(new Response(limitBody(body, 50)).arrayBuffer()).rejects.toBeInstanceOf(BodyTooLargeError);
    expect((await new Response(limitBody(new Response(new Uint8Array(50)).body!, 50)).arrayBuffer()).byteLength).toBe(
      50,
    );
  });

  it("checks options and fills defaults [§4.1-b]", () => {
    expect(resolveOptions({}).port).toBe(3000);
    expect(() => resolveOptions({ port: 70000 })).toThrow(InvalidOptionError);
    expect(() => resolveOptions({ port: 1.5 })).toThrow("port must be an integer");
    expect(() => resolveOptions({ maxBodySize: -1 })).toThrow("maxBodySize");
    expect(() => resolveOptions({ onError: "log" as never })).toThrow("onError must be a function");
    expect(serverUrl("http", "::", 80)).toBe("http://[::1]:80/");
    expect(serverUrl("https", "::1", 443)).toBe("https://[::1]:443/");
  });

  it("knows which responses carry no body", () => {
    expect([isBodyless("HEAD", 200), isBodyless("GET", 204), isBodyless("GET", 304), isBodyless("GET", 200)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it("reads the client address a trusted proxy forwarded", () => {
    expect(forwardedAddress(new Headers({ forwarded: 'for="[2001:db8::1]:4711";proto=https' }))).toBe("2001:db8::1");
    expect(forwardedAddress(new Headers({ "x-forwarded-for": "203.0.113.7, 10.0.0.1" }))).toBe("203.0.113.7");
    expect(forwardedAddress(new Headers())).toBeUndefined();
  });
});

describe("the test client", () => {
  it("records waitUntil work, passThroughOnException and errors [§4.7-a, §4.7-b]", async () => {
    const app: Handler = (req, _env, ctx) => {
      ctx.passThroughOnException();
      ctx.waitUntil(Promise.reject(new Error("background")));
      return new Response(new URL(req.url).pathname);
    };
    const response = await createTestClient(app).fetch("/path");
    expect(await response.text()).toBe("/path");
    await response.ctx.settled();
    expect(response.ctx.waitUntilPromises).toHaveLength(1);
    expect(response.ctx.passedThroughOnException).toBe(true);
    expect((response.errors[0] as Error).message).toBe("background");
    expect(response.ctx.runtime).toBe("test");
  });
});

function createTestContext() {
  return {
    runtime: "test" as const,
    remoteAddress: undefined,
    props: {},
    platform: {},
    waitUntil() {},
    passThroughOnException() {},
  };
}
