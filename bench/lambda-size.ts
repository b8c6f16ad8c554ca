// What a Lambda adapter adds to a deployed bundle, and what it costs at cold start: the hello example
// bundled by esbuild (minified, ESM, as `tsgi build --target aws-lambda` would) bare and wrapped by each
// adapter. The difference in gzipped bytes is the adapter's share. Then each bundle is imported by a fresh
// Node process that answers one v2 GET event: import time and first-invocation time, median of 7. Node
// loads its fetch classes on first use (tens of ms): tsgi loads them when the handler is made, in Lambda's
// init phase; the others on the first invocation; tsgi with fastGlobals not at all. Compare the sums.
// Run: node scripts/node.mjs bench/lambda-size.ts
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { coldStart, lambdaBundle } from "./lambda-cold-start.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const ctx = `{ runtime: "aws-lambda", waitUntil() {}, passThroughOnException() {}, props: {}, platform: {}, remoteAddress: undefined }`;

// Pairs of [bundle, the bare application it is compared with].
const entries: Record<string, { code: string; base: string }> = {
  "tsgi toLambdaHandler": {
    code: `import { toLambdaHandler } from "./adapters/aws-lambda.ts"; import hello from "./examples/hello.ts"; export const handler = toLambdaHandler(hello);`,
    base: "fetch",
  },
  "tsgi toLambdaHandler, fastGlobals": {
    code: `import { toLambdaHandler } from "./adapters/aws-lambda.ts"; import hello from "./examples/hello.ts"; export const handler = toLambdaHandler(hello, { fastGlobals: true });`,
    base: "fetch",
  },
  "tsgi toStreamingLambdaHandler": {
    code: `import { toStreamingLambdaHandler } from "./adapters/aws-lambda.ts"; import hello from "./examples/hello.ts"; export const handler = globalThis.awslambda ? toStreamingLambdaHandler(hello) : undefined;`,
    base: "fetch",
  },
  "hono/aws-lambda handle": {
    code: `import { handle } from "hono/aws-lambda"; import hello from "./examples/hello.ts"; export const handler = handle({ fetch: (request) => hello(request, {}, ${ctx}) });`,
    base: "fetch",
  },
  "hand-written floor (v2 only)": {
    code: `import { floorV2 } from "./bench/lambda-floor.ts"; import hello from "./examples/hello.ts"; export const handler = floorV2((request) => hello(request, {}, ${ctx}));`,
    base: "fetch",
  },
  "serverless-http": {
    code: `import serverless from "serverless-http"; export const handler = serverless((req, res) => { res.setHeader("content-type", "text/plain; charset=utf-8"); res.end("Hello from tsgi on aws-lambda!\\n"); });`,
    base: "node",
  },
};
const bases: Record<string, string> = {
  fetch: `import hello from "./examples/hello.ts"; export const handler = (request) => hello(request, {}, ${ctx});`,
  node: `export const handler = (req, res) => { res.setHeader("content-type", "text/plain; charset=utf-8"); res.end("Hello from tsgi on aws-lambda!\\n"); };`,
};

const gz = (code: Uint8Array): number => gzipSync(code, { level: 9 }).byteLength;
const dir = mkdtempSync(join(tmpdir(), "tsgi-lambda-size-"));
const event = join(root, "test/fixtures/aws-lambda/apigw-v2-get-query.json");

try {
  const baseSizes: Record<string, number> = {};
  for (const [name, code] of Object.entries(bases)) baseSizes[name] = gz(await lambdaBundle(code));
  console.log(`node ${process.version}; esbuild --minify --format=esm --platform=node; gzip -9\n`);
  console.log(
    "| bundle | minified bytes | gzipped bytes | adapter's share, gzipped | import ms | first invocation ms | sum ms |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const [name, { code, base }] of Object.entries(entries)) {
    const output = await lambdaBundle(code);
    const file = join(dir, `${name.replace(/\W+/g, "-")}.mjs`);
    writeFileSync(file, output);
    const streaming = name.includes("Streaming");
    const [load, first] = streaming ? [Number.NaN, Number.NaN] : coldStart(file, event);
    const times = streaming ? "– | – | –" : `${load.toFixed(1)} | ${first.toFixed(1)} | ${(load + first).toFixed(1)}`;
    console.log(`| ${name} | ${output.byteLength} | ${gz(output)} | ${gz(output) - baseSizes[base]} | ${times} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
