// fromNodeListener's cost, as ratios measured side by side in one run:
// - Lambda: an Express hello through toLambdaHandler(fromNodeListener(app)) against serverless-http and
//   @codegenie/serverless-express, CPU µs per v2 GET and REST GET invocation in-process (bench/lambda.ts's method:
//   interleaved rounds, the median counts), and cold start (a fresh process imports the bundle and answers one
//   v2 event: import ms + first invocation ms, median of 7, bench/lambda-cold-start.ts).
// - Node: the same Express app on raw node:http against serve(fromNodeListener(app)), with and without its
//   `direct` option (Node's real req and res, no in-memory connection): the server's CPU µs per
//   request under a keep-alive load of 50 connections, interleaved rounds, each server in its own process.
// Run: flock /tmp/tsgi-bench.lock node scripts/node.mjs bench/node-listener.ts [--rounds 15] [--iterations 300]
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { configure as serverlessExpress } from "@codegenie/serverless-express";
import express from "express";
import serverless from "serverless-http";
import { type LambdaContext, toLambdaHandler } from "../adapters/aws-lambda.ts";
import { fromNodeListener } from "../adapters/node.ts";
import { coldStart, lambdaBundle } from "./lambda-cold-start.ts";
import { upperMedian as median } from "./median.ts";
import { takeTurns } from "./turns.ts";

const { values } = parseArgs({
  options: { rounds: { type: "string", default: "15" }, iterations: { type: "string", default: "300" } },
});
const rounds = Number(values.rounds);
const iterations = Number(values.iterations);
const root = fileURLToPath(new URL("..", import.meta.url));

const app = express();
app.get("/", (_req, res) => {
  res.send("Hello from Express!\n");
});

type Invoke = (event: unknown, context: LambdaContext) => Promise<unknown>;
const context: LambdaContext = {
  getRemainingTimeInMillis: () => 30_000,
  awsRequestId: "bench",
  functionName: "bench",
  callbackWaitsForEmptyEventLoop: false,
};
const contestants: Record<string, Invoke> = {
  "tsgi fromNodeListener": toLambdaHandler(fromNodeListener(app), { onError: (error) => console.error(error) }),
  "serverless-http": serverless(app) as Invoke,
  "@codegenie/serverless-express": serverlessExpress({ app }) as unknown as Invoke,
};
const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(`${root}test/fixtures/aws-lambda/${name}.json`, "utf8"));
const events: Record<string, unknown> = {
  "v2 GET": { ...(fixture("apigw-v2-get-query") as object), rawPath: "/", rawQueryString: "" },
  "REST GET": { ...(fixture("apigw-v1-get-query-multivalue") as object), path: "/", resource: "/" },
};

async function cpu(invoke: Invoke, event: unknown, count: number): Promise<number> {
  const started = process.cpuUsage();
  for (let i = 0; i < count; i++) await invoke(structuredClone(event), context);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / count;
}

const names = Object.keys(contestants);
console.log(
  `node ${process.version}; Lambda: ${rounds} rounds x ${iterations} invocations, CPU µs per invocation, median (ratio to tsgi)\n`,
);
console.log(`| event | ${names.join(" | ")} |`);
console.log(`| --- | ${names.map(() => "---").join(" | ")} |`);
for (const [label, event] of Object.entries(events)) {
  for (const name of names) {
    const result = (await contestants[name](structuredClone(event), context)) as { statusCode?: number };
    if (result.statusCode !== 200) throw new Error(`${name} answered ${JSON.stringify(result)} for ${label}`);
    await cpu(contestants[name], event, iterations);
  }
  const turns = await takeTurns(names, rounds, (name) => cpu(contestants[name], event, iterations));
  const samples = Object.fromEntries(names.map((name, i) => [name, turns[i]]));
  const base = samples[names[0]];
  const cells = names.map((name) => {
    const ratio = median(samples[name].map((value, round) => value / base[round]));
    return `${median(samples[name]).toFixed(1)} (${ratio.toFixed(2)}×)`;
  });
  console.log(`| ${label} | ${cells.join(" | ")} |`);
}

// Cold start: each handler bundled as `tsgi build --target aws-lambda` would, imported by a fresh process.
const bundles: Record<string, string> = {
  "tsgi fromNodeListener": `import { toLambdaHandler } from "./adapters/aws-lambda.ts"; import { fromNodeListener } from "./adapters/node.ts";`,
  "serverless-http": `import serverless from "serverless-http";`,
  "@codegenie/serverless-express": `import { configure as serverlessExpress } from "@codegenie/serverless-express";`,
};
const wraps: Record<string, string> = {
  "tsgi fromNodeListener": "toLambdaHandler(fromNodeListener(app))",
  "serverless-http": "serverless(app)",
  "@codegenie/serverless-express": "serverlessExpress({ app })",
};
const dir = mkdtempSync(join(tmpdir(), "tsgi-listener-bench-"));
const eventFile = join(dir, "event.json");
writeFileSync(eventFile, JSON.stringify(events["v2 GET"]));
try {
  console.log("\n| cold start (v2 GET) | import ms | first invocation ms | sum ms |");
  console.log("| --- | --- | --- | --- |");
  for (const name of names) {
    const contents = `${bundles[name]} import express from "express"; const app = express(); app.get("/", (req, res) => { res.send("Hello from Express!\\n"); }); export const handler = ${wraps[name]};`;
    const file = join(dir, `${name.replace(/\W+/g, "-")}.mjs`);
    writeFileSync(file, await lambdaBundle(contents));
    const [load, first] = coldStart(file, eventFile);
    console.log(`| ${name} | ${load.toFixed(1)} | ${first.toFixed(1)} | ${(load + first).toFixed(1)} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// Node: the same Express app on node:http and through tsgi, each server in its own process.
interface Started {
  url: string;
  kill(): void;
}
function startServer(mode: string): Promise<Started> {
  const child = spawn(process.execPath, [`${root}bench/servers/node-express.ts`, mode], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve) => {
    child.stdout.once("data", (chunk: Buffer) =>
      resolve({ url: JSON.parse(String(chunk)).url, kill: () => child.kill("SIGKILL") }),
    );
  });
}
async function cpuOf(server: Started): Promise<number> {
  return Number(await (await fetch(new URL("/cpu", server.url))).text());
}
/** The server's CPU µs per request over `count` requests, 50 at a time on keep-alive connections. */
async function serverCpu(server: Started, count: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 50 });
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      request(server.url, { agent }, (res) => {
        res.resume();
        res.once("end", resolve);
      })
        .once("error", reject)
        .end();
    });
  const before = await cpuOf(server);
  let left = count;
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (left-- > 0) await one();
    }),
  );
  const used = (await cpuOf(server)) - before;
  agent.destroy();
  return used / count;
}
const modes = ["raw", "tsgi", "direct"];
const labels = [
  "Express on raw node:http",
  "serve(fromNodeListener(express))",
  "serve(fromNodeListener(express, { direct: true }))",
];
const servers = await Promise.all(modes.map(startServer));
try {
  for (const server of servers) await serverCpu(server, 2000);
  const perRequest = await takeTurns(servers, rounds, (server) => serverCpu(server, 4000));
  console.log(`\n| Node, Express hello (server CPU µs per request, median of ${rounds}) | µs | ratio to raw |`);
  console.log("| --- | --- | --- |");
  modes.forEach((_, i) => {
    const ratio = median(perRequest[i].map((value, round) => value / perRequest[0][round]));
    console.log(`| ${labels[i]} | ${median(perRequest[i]).toFixed(1)} | ${ratio.toFixed(2)} |`);
  });
} finally {
  for (const server of servers) server.kill();
}
