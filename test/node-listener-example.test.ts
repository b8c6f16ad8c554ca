// examples/express.ts (Express mounted beside Hono) built by the real `tsgi build` for every target and run
// on each: the server bundles on Node 22 and 24, Deno and Bun, both Lambda handlers, and the Worker on workerd.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killAll, scriptCommand, startListening, tsgi } from "./cli-process.ts";
import { installAwsLambda, received, ResponseStream } from "./lambda/awslambda.ts";
import { lambdaContext } from "./lambda/context.ts";
import { getEvent } from "./lambda/events.ts";
import type { RuntimeName } from "./runtimes.ts";

const out = mkdtempSync(join(tmpdir(), "tsgi-express-"));
afterAll(() => {
  killAll();
  rmSync(out, { recursive: true, force: true });
});

/** What the example answers: [path, expected JSON or text]. */
const checks: [string, string | object][] = [
  ["/legacy/items/7", { item: "7", from: "express" }],
  ["/users/5", { id: "5", path: "/users/5" }],
  ["/", "Hello from Hono on tsgi!\n"],
];

async function body(response: { text(): Promise<string> }, like: string | object): Promise<unknown> {
  const text = await response.text();
  return typeof like === "string" ? text : JSON.parse(text);
}

beforeAll(async () => {
  const targets = "node,deno,bun,cloudflare,aws-lambda";
  const [buffered, streaming] = await Promise.all([
    tsgi("node24", ["build", "examples/express.ts", "--target", targets, "--outdir", join(out, "all")]),
    tsgi("node24", [
      "build",
      "examples/express.ts",
      "--target=aws-lambda",
      "--streaming",
      "--outdir",
      join(out, "streaming"),
    ]),
  ]);
  expect(buffered).toMatchObject({ code: 0, stderr: "" });
  expect(streaming).toMatchObject({ code: 0, stderr: "" });
}, 60_000);

describe("examples/express.ts built by tsgi build", () => {
  const runtimes: [RuntimeName, string][] = [
    ["node24", "node"],
    ["node22", "node"],
    ["deno", "deno"],
    ["bun", "bun"],
  ];
  for (const [runtime, target] of runtimes) {
    it(`runs the ${target} bundle on ${runtime}`, async () => {
      const server = await startListening([...scriptCommand(runtime), join(out, "all", target, "index.mjs")], {
        cwd: out,
        env: { PORT: "0", HOST: "127.0.0.1" },
      });
      try {
        for (const [path, like] of checks)
          expect(await body(await fetch(new URL(path, server.url)), like)).toEqual(like);
        const created = await fetch(new URL("/legacy/items", server.url), {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: "new" }),
        });
        expect([created.status, await created.json()]).toEqual([201, { created: { name: "new" } }]);
        const moved = await fetch(new URL("/legacy/moved", server.url), { redirect: "manual" });
        expect([moved.status, moved.headers.get("location")]).toEqual([301, "items/1"]);
      } finally {
        expect(await server.stop("SIGTERM")).toBe(0);
      }
    }, 30_000);
  }

  it("answers v2 events with the buffered and the streaming Lambda handler", async () => {
    const { handler } = (await import(pathToFileURL(join(out, "all", "aws-lambda", "index.mjs")).href)) as {
      handler: (
        event: unknown,
        context: unknown,
      ) => Promise<{ statusCode: number; body: string; isBase64Encoded?: boolean }>;
    };
    for (const [path, like] of checks) {
      const result = await handler(getEvent("apigw-v2", path, "203.0.113.9"), lambdaContext());
      const text = result.isBase64Encoded ? Buffer.from(result.body, "base64").toString() : result.body;
      expect([result.statusCode, typeof like === "string" ? text : JSON.parse(text)]).toEqual([200, like]);
    }
    const uninstall = installAwsLambda();
    try {
      const streamed = (await import(pathToFileURL(join(out, "streaming", "aws-lambda", "index.mjs")).href)) as {
        handler: (event: unknown, stream: ResponseStream, context: unknown) => Promise<void>;
      };
      const stream = new ResponseStream();
      await streamed.handler(getEvent("lambda-url", "/legacy/items/9", "203.0.113.9"), stream, lambdaContext());
      const { prelude, body: bytes } = received(stream);
      expect([prelude?.statusCode, JSON.parse(bytes.toString())]).toEqual([200, { item: "9", from: "express" }]);
    } finally {
      uninstall();
    }
  });

  it("runs the Worker on workerd with the nodejs_compat flag its wrangler.json names", async () => {
    const dir = join(out, "all", "cloudflare");
    const config = JSON.parse(readFileSync(join(dir, "wrangler.json"), "utf8"));
    expect(config.compatibility_flags).toContain("nodejs_compat");
    const { Log, LogLevel, Miniflare } = await import("miniflare");
    const mf = new Miniflare({
      // The bundle's workerd-only import("cloudflare:node") has a computed name, which Miniflare cannot follow.
      modules: [{ type: "ESModule", path: "index.mjs", contents: readFileSync(join(dir, "index.mjs"), "utf8") }],
      compatibilityDate: config.compatibility_date,
      compatibilityFlags: config.compatibility_flags,
      log: new Log(LogLevel.NONE),
    });
    try {
      for (const [path, like] of checks) {
        const response = await mf.dispatchFetch(new URL(path, "http://example.com"));
        expect(await body(response, like)).toEqual(like);
      }
    } finally {
      await mf.dispose();
    }
  }, 30_000);
});
