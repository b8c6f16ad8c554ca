// A Lambda bundle's cold start, measured one way for every bench that needs it (lambda-size.ts,
// node-listener.ts): esbuild bundles the handler as `tsgi build --target aws-lambda` would (minified ESM), and
// fresh Node processes each import it and answer one event; the medians of import ms and first-invocation ms.
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { upperMedian } from "./median.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

/** `contents` (TypeScript, imports relative to the repository) as one minified ESM file for Node 22+. */
export async function lambdaBundle(contents: string): Promise<Uint8Array> {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: "ts", sourcefile: "lambda.ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    target: "node22",
    write: false,
    logLevel: "silent",
    // CommonJS packages (serverless-http, Express) call require(); every bundle gets the same two-line shim.
    banner: { js: `import { createRequire } from "node:module"; const require = createRequire(import.meta.url);` },
  });
  return result.outputFiles[0].contents;
}

// A fresh process: import the bundle, answer one event, print the two times in ms, and exit (some handlers
// leave the event loop busy).
const probe = `(async () => {
const t0 = performance.now();
const { handler } = await import(process.argv[2]);
const t1 = performance.now();
const event = JSON.parse(require("node:fs").readFileSync(process.argv[3], "utf8"));
const result = await handler(event, { getRemainingTimeInMillis: () => 30000, awsRequestId: "x", functionName: "f", callbackWaitsForEmptyEventLoop: false });
const t2 = performance.now();
if (!result || result.statusCode !== 200) throw new Error("unexpected result " + JSON.stringify(result));
console.log(JSON.stringify([t1 - t0, t2 - t1]));
process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });`;

/**
 * The median [import ms, first invocation ms] of `runs` fresh processes, each importing the bundle `file` and
 * answering the event in `eventFile` (it must answer 200). The times start inside the running process.
 */
export function coldStart(file: string, eventFile: string, runs = 7): [number, number] {
  const probeFile = join(dirname(file), "probe.cjs");
  if (!existsSync(probeFile)) writeFileSync(probeFile, probe);
  const times: [number, number][] = [];
  for (let i = 0; i < runs; i++) {
    times.push(JSON.parse(execFileSync(process.execPath, [probeFile, file, eventFile], { encoding: "utf8" })));
  }
  return [upperMedian(times.map((time) => time[0])), upperMedian(times.map((time) => time[1]))];
}
