// Tracing: every request the node, deno and bun adapters serve is published on the `tsgi.request` tracing
// channel with TracingChannel.tracePromise's events, once anyone subscribes, even after the server started.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { toLambdaHandler } from "../adapters/aws-lambda.ts";
import { fixtureDir, type LambdaResult, lambdaContext } from "./lambda/context.ts";
import { type RuntimeName, startServer } from "./runtimes.ts";
import { tracingApp, type SeenEvent } from "./servers/tracing-app.ts";

const runtimes: RuntimeName[] = ["node24", "node22", "deno", "bun"];

// What a request published, without the events of the /events requests that read them back.
const strip = (events: SeenEvent[]) =>
  events.filter(({ path }) => path !== "/events").map(({ event, status, error }) => [event, status, error]);

for (const runtime of runtimes) {
  describe(`tsgi.request on ${runtime}`, () => {
    it("publishes start, end, asyncStart, asyncEnd with { request, response }, error on a throw", async () => {
      const server = await startServer(runtime, { app: "tracing" });
      const get = async (path: string) => {
        const response = await fetch(new URL(path, server.url));
        return { status: response.status, text: await response.text() };
      };
      const events = async () => (await (await fetch(new URL("/events", server.url))).json()) as SeenEvent[];
      try {
        // Nobody subscribes yet: nothing is published, and the store is not there.
        expect(await get("/span")).toEqual({ status: 201, text: "no span" });
        await get("/subscribe");
        await events();
        // The span the subscriber bound to `start` is the active store inside the application.
        expect(await get("/span")).toEqual({ status: 201, text: "span of /span" });
        expect(strip(await events())).toEqual([
          ["start", null, null],
          ["end", null, null],
          ["asyncStart", 201, null],
          ["asyncEnd", 201, null],
        ]);
        // A synchronous answer is known by `end` already.
        expect(await get("/sync")).toEqual({ status: 202, text: "sync" });
        expect(strip(await events())).toEqual([
          ["start", null, null],
          ["end", 202, null],
          ["asyncStart", 202, null],
          ["asyncEnd", 202, null],
        ]);
        // A throw: error, then end, as tracePromise publishes it; the client gets the fixed 500.
        expect((await get("/throw")).status).toBe(500);
        expect(strip(await events())).toEqual([
          ["start", null, null],
          ["error", null, "traced failure"],
          ["end", null, "traced failure"],
        ]);
        expect((await get("/reject")).status).toBe(500);
        expect(strip(await events())).toEqual([
          ["start", null, null],
          ["end", null, null],
          ["error", null, "traced rejection"],
          ["asyncStart", null, "traced rejection"],
          ["asyncEnd", null, "traced rejection"],
        ]);
      } finally {
        await server.stop();
      }
    }, 30_000);
  });
}

describe("tsgi.request on aws-lambda", () => {
  it("publishes each invocation's request and response", async () => {
    const handler = toLambdaHandler(tracingApp);
    const v2 = JSON.parse(readFileSync(`${fixtureDir}apigw-v2-get-query.json`, "utf8"));
    const call = async (path: string) =>
      (await handler({ ...v2, rawPath: path, rawQueryString: "" }, lambdaContext())) as LambdaResult;
    await call("/subscribe");
    await call("/events");
    expect(await call("/span")).toMatchObject({ statusCode: 201, body: "span of /span" });
    expect(strip(JSON.parse((await call("/events")).body))).toEqual([
      ["start", null, null],
      ["end", null, null],
      ["asyncStart", 201, null],
      ["asyncEnd", 201, null],
    ]);
  });
});
