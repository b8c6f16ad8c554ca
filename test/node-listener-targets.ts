// Where fromNodeListener's tests run: the listener app (test/listeners/app.ts) served by each runtime's own
// adapter, by both Lambda handlers behind Function URL stand-ins, and on workerd as `tsgi build` bundles it.
// Each target names the cases it cannot pass and why; the test files skip those and say so.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toLambdaHandler, toStreamingLambdaHandler } from "../adapters/aws-lambda.ts";
import { afterAll, beforeAll, describe, it } from "vitest";
import { tsgi } from "./cli-process.ts";
import { installAwsLambda } from "./lambda/awslambda.ts";
import type { LambdaResult } from "./lambda/context.ts";
import { bufferedFunctionUrl, functionUrl } from "./lambda/function-url.ts";
import { listenersApp } from "./listeners/app.ts";
import { runOnWorkerd, startServer, type RuntimeName } from "./runtimes.ts";

/** A listener app the tests can talk to and stop. */
export interface ListenerServer {
  url: string;
  /** What the server reported so far. */
  stderr(): string;
  stop(): Promise<unknown>;
}

/** The cases some target cannot pass. */
export type ListenerCase =
  | "reason-phrase"
  | "koa"
  | "static-files"
  | "streaming"
  | "big-bodies"
  | "client-leaves"
  | "memory"
  | "remote-address"
  | "cut"
  | "flush-headers"
  | "continue"
  | "destroy";

export interface ListenerTarget {
  name: string;
  start(): Promise<ListenerServer>;
  cannot: Partial<Record<ListenerCase, string>>;
}

function runtime(name: RuntimeName, cannot: ListenerTarget["cannot"] = {}): ListenerTarget {
  return { name, cannot, start: () => startServer(name, { app: "listeners" }) };
}

/** A Lambda handler of the listener app behind a Function URL stand-in, in this process. */
function lambda(streaming: boolean): () => Promise<ListenerServer> {
  return async () => {
    let reported = "";
    const onError = (error: unknown): void => {
      reported += `reported: ${error instanceof Error ? error.message : String(error)}\n`;
    };
    const uninstall = streaming ? installAwsLambda() : () => {};
    const server = streaming
      ? await functionUrl(toStreamingLambdaHandler(listenersApp(), { onError }))
      : await bufferedFunctionUrl(
          toLambdaHandler(listenersApp(), { onError }) as (event: unknown, context: unknown) => Promise<LambdaResult>,
        );
    return {
      url: server.url,
      stderr: () => reported,
      stop: async () => {
        await server.close();
        uninstall();
      },
    };
  };
}

/** The workerd app built by the real `tsgi build --target cloudflare`, run by Miniflare with its wrangler.json flags. */
async function workerd(): Promise<ListenerServer> {
  const out = mkdtempSync(join(tmpdir(), "tsgi-listener-worker-"));
  const built = await tsgi("node24", [
    "build",
    "test/listeners/worker-app.ts",
    "--target",
    "cloudflare",
    "--outdir",
    out,
  ]);
  if (built.code !== 0) throw new Error(`tsgi build failed: ${built.stderr}`);
  const dir = join(out, "cloudflare");
  const config = JSON.parse(readFileSync(join(dir, "wrangler.json"), "utf8")) as {
    compatibility_date: string;
    compatibility_flags: string[];
  };
  const worker = await runOnWorkerd(readFileSync(join(dir, "index.mjs"), "utf8"), config.compatibility_date, [
    ...config.compatibility_flags,
    "enable_request_signal",
  ]);
  return {
    ...worker,
    stop: async () => {
      await worker.stop();
      rmSync(out, { recursive: true, force: true });
    },
  };
}

const lambdaReason = "Lambda's response formats carry a status code but no reason phrase";
const buffered =
  "a buffered Lambda handler answers once, with the whole body: nothing reaches the client before the listener ends";

export const listenerTargets: ListenerTarget[] = [
  runtime("node24"),
  runtime("node22"),
  runtime("deno", {
    "reason-phrase": "Deno.serve sends the standard reason phrase for a status, or none",
    memory:
      "Deno's resident set grows by about 60 MiB over a 100 MiB upload even after collections (not held whole, but over the 48 MiB bound)",
  }),
  runtime("bun", {
    "reason-phrase":
      "Bun.serve does not send the Response's statusText as the reason phrase (it sent 'HM' for 'Quite Fine')",
    "flush-headers": "Bun.serve holds a streamed Response's head until the first chunk with bytes in it",
  }),
  {
    name: "aws-lambda (buffered)",
    start: lambda(false),
    cannot: {
      "reason-phrase": lambdaReason,
      streaming: buffered,
      "flush-headers": buffered,
      "big-bodies": "Lambda's buffered invocations carry at most 6 MB each way (the Lambda quotas page)",
      memory: "the buffered event and result hold each body whole, by Lambda's design",
      "client-leaves": buffered,
    },
  },
  {
    name: "aws-lambda (streaming)",
    start: lambda(true),
    cannot: {
      "reason-phrase": lambdaReason,
      "flush-headers": "toStreamingLambdaHandler sends the prelude with the first chunk that has bytes in it",
      "big-bodies":
        "Lambda's request payload is at most 6 MB, even for a streaming function (only the response streams)",
    },
  },
  {
    name: "workerd",
    start: workerd,
    cannot: {
      continue: "workerd's node:http answers 500 when the listener calls res.writeContinue()",
      "client-leaves": "workerd's bridge does not emit close on the listener's req and res when the client leaves",
      destroy:
        "a listener that destroys its response unanswered leaves workerd's bridge waiting: workerd cancels the request as hung",
      "big-bodies":
        "workerd's bridge ends the response after the first 64 KiB when the listener waits for drain (res.write returned false)",
      koa: "Koa requires node:v8, which workerd's nodejs_compat does not have",
      "static-files": "a Worker has no file system for express.static() to read",
      cut: "workerd's bridge (cloudflare:node's handleAsNodeRequest) ends the body cleanly when the listener destroys its response halfway",
    },
  },
];

/**
 * Runs `cases` against every target, one server each. `test(name, title, fn)` is `it`, or a skip that gives
 * the target's reason when it cannot pass case `name`.
 */
export function onEveryTarget(
  cases: (
    server: () => ListenerServer,
    test: (name: ListenerCase | undefined, title: string, fn: () => Promise<void>, timeout?: number) => void,
    target: ListenerTarget,
  ) => void,
): void {
  for (const target of listenerTargets) {
    describe(`fromNodeListener on ${target.name}`, () => {
      let server: ListenerServer | undefined;
      beforeAll(async () => {
        server = await target.start();
      }, 60_000);
      afterAll(() => server?.stop());
      cases(
        () => server!,
        (name, title, fn, timeout) => {
          const why = name === undefined ? undefined : target.cannot[name];
          if (why === undefined) it(title, fn, timeout);
          else it.skip(`${title} (cannot: ${why})`, fn);
        },
        target,
      );
    });
  }
}
