// Fuzzed Lambda events (issue 5): whatever arrives, the handler answers in a result format or rejects
// with a documented TsgiError, never a TypeError from inside the adapter; hostile response headers are handled.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toLambdaHandler, toStreamingLambdaHandler } from "../../adapters/aws-lambda.ts";
import { TsgiError } from "../../src/errors.ts";
import { installAwsLambda, ResponseStream } from "../lambda/awslambda.ts";
import { fixtures, lambdaContext } from "../lambda/context.ts";

const reported: unknown[] = [];
const echo = toLambdaHandler(
  async (request) => new Response(await request.arrayBuffer(), { headers: { "x-url": request.url } }),
  {
    onError: (error) => reported.push(error),
  },
);
const httpEvents = fixtures().filter(
  (fixture) => !fixture.name.startsWith("not-http") && !fixture.name.startsWith("malformed"),
);

/** Settles with "result" for an object with a status, "documented" for a TsgiError, else the stray error. */
async function outcome(event: unknown): Promise<string | unknown> {
  try {
    const result = (await echo(event, lambdaContext())) as Record<string, unknown>;
    return typeof result.statusCode === "number" || typeof result.status === "string" ? "result" : result;
  } catch (error) {
    return error instanceof TsgiError ? "documented" : error;
  }
}

// Any JSON value where a field was: strings, numbers, nulls, arrays, objects, odd encodings.
const junk = fc.oneof(
  fc.jsonValue(),
  fc.string({ unit: "binary" }),
  fc.constant(undefined),
  fc.constant("%E0%A4%A"),
  fc.constant("\r\nx: y"),
);

function mutate(event: Record<string, unknown>, path: string[], value: unknown): unknown {
  const copy: Record<string, unknown> = structuredClone(event);
  let target: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    const next = target[key];
    if (typeof next !== "object" || next === null) return copy;
    target = next as Record<string, unknown>;
  }
  target[path[path.length - 1]] = value;
  return copy;
}

function paths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([key, inner]) => paths(inner, [...prefix, key]))].filter(
    (path) => path.length > 0,
  );
}

describe("lambda: fuzzed events", () => {
  it("answers or rejects with a documented error for arbitrary JSON", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (event) => {
        expect(["result", "documented"]).toContain(await outcome(event));
      }),
      { numRuns: 300 },
    );
  });

  it("answers or rejects with a documented error when any field of a real event is replaced by junk", async () => {
    const cases = fc
      .constantFrom(...httpEvents)
      .chain((fixture) => fc.tuple(fc.constant(fixture.event), fc.constantFrom(...paths(fixture.event)), junk));
    await fc.assert(
      fc.asyncProperty(cases, async ([event, path, value]) => {
        expect(["result", "documented"]).toContain(await outcome(mutate(event, path, value)));
      }),
      { numRuns: 600 },
    );
  });

  it("does the same on the streaming handler", async () => {
    // The awslambda global of Lambda's Node.js runtime, as the streaming tests stand it in.
    const uninstall = installAwsLambda();
    try {
      const streaming = toStreamingLambdaHandler(() => new Response("x"), { onError: () => {} });
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.jsonValue(), fc.constantFrom(...httpEvents.map((fixture) => fixture.event))),
          async (event) => {
            const result = await Promise.resolve()
              .then(() => streaming(event, new ResponseStream(), lambdaContext()))
              .then(
                () => "result",
                (error: unknown) => (error instanceof TsgiError ? "documented" : error),
              );
            expect(["result", "documented"]).toContain(result);
          },
        ),
        { numRuns: 200 },
      );
    } finally {
      uninstall();
    }
  });

  it("handles response headers Lambda would reject, and cannot split a header", async () => {
    const hostile = toLambdaHandler(() => {
      const headers = new Headers({ "x-ok": "fine" });
      for (const [name, value] of [
        ["x-crlf", "a\r\nInjected: yes"],
        ["bad name", "v"],
        ["x-nul", "a\0b"],
      ]) {
        try {
          headers.set(name, value);
        } catch {
          // Headers refuses them itself (Fetch §5.2): nothing to smuggle through.
        }
      }
      return new Response("ok", { headers });
    });
    const event = httpEvents.find((fixture) => fixture.name.startsWith("apigw-v2"))!.event;
    const result = (await hostile(event, lambdaContext())) as { statusCode: number; headers: Record<string, string> };
    expect(result.statusCode).toBe(200);
    for (const [name, value] of Object.entries(result.headers)) expect(`${name}: ${value}`).not.toMatch(/[\r\n\0]/);
  });
});
