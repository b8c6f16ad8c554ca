// In-process cost of one Lambda invocation (µs) for v2 GET, v2 POST 1 KB, REST GET and REST POST 1 KB,
// through tsgi, hono/aws-lambda, serverless-http and the hand-written floor (bench/lambda-floor.ts).
// Contestants take turns round after round so drift hits them alike; the median round counts.
// Many short rounds: the machine is shared, and a short round is less likely to straddle a burst of other work.
// Run: node scripts/node.mjs bench/lambda.ts [--rounds 41] [--iterations 500] [--only "v2 GET"]
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseArgs } from "node:util";
import { handle } from "hono/aws-lambda";
import serverless from "serverless-http";
import { type LambdaContext, toLambdaHandler } from "../adapters/aws-lambda.ts";
import { type EventV1, type EventV2, floorV1, floorV2 } from "./lambda-floor.ts";
import { upperMedian as median } from "./median.ts";
import { takeTurns } from "./turns.ts";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "41" },
    iterations: { type: "string", default: "500" },
    only: { type: "string" },
  },
});
const rounds = Number(values.rounds);
const iterations = Number(values.iterations);

const fixtures = new URL("../test/fixtures/aws-lambda/", import.meta.url);
/** An API Gateway fixture: payload 2.0 or REST (1.0). */
type Event = EventV2 | EventV1;
const load = (name: string): Event => JSON.parse(readFileSync(new URL(`${name}.json`, fixtures), "utf8"));
const kilobyte = JSON.stringify({ note: "x".repeat(1024 - 11) });

function withBody(event: Event): Event {
  const copy = structuredClone(event);
  copy.body = kilobyte;
  copy.isBase64Encoded = false;
  if (copy.headers["content-length"]) copy.headers["content-length"] = String(kilobyte.length);
  return copy;
}

const scenarios = {
  "v2 GET": { event: load("apigw-v2-get-query"), v2: true },
  "v2 POST 1 KB": { event: withBody(load("apigw-v2-post-json-named-stage")), v2: true },
  "REST GET": { event: load("apigw-v1-get-query-multivalue"), v2: false },
  "REST POST 1 KB": { event: withBody(load("apigw-v1-post-json")), v2: false },
};

// The same application in each style: a greeting for GET, the received length for POST.
async function fetchApp(request: Request): Promise<Response> {
  if (request.method === "POST") return Response.json({ received: (await request.text()).length });
  return new Response("Hello from tsgi!\n", { headers: { "content-type": "text/plain; charset=utf-8" } });
}

function nodeApp(req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== "POST") {
    res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
    res.end("Hello from tsgi!\n");
    return;
  }
  let text = "";
  req.setEncoding("utf8");
  req.on("data", (chunk: string) => (text += chunk));
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ received: text.length }));
  });
}

type Invoke = (event: Event, context: LambdaContext) => Promise<unknown>;
const context: LambdaContext = {
  getRemainingTimeInMillis: () => 30_000,
  awsRequestId: "bench",
  functionName: "bench",
  callbackWaitsForEmptyEventLoop: true,
};

const tsgi: Invoke = toLambdaHandler(fetchApp, { onError: (error) => console.error(error) });
const hono = handle({ fetch: fetchApp } as unknown as Parameters<typeof handle>[0]) as unknown as Invoke;
const serverlessHttp: Invoke = serverless(nodeApp);
const floor2 = floorV2(fetchApp) as Invoke;
const floor1 = floorV1(fetchApp) as Invoke;

const contestants: Record<string, (v2: boolean) => Invoke> = {
  floor: (v2) => (v2 ? floor2 : floor1),
  tsgi: () => tsgi,
  "hono/aws-lambda": () => hono,
  "serverless-http": () => serverlessHttp,
};

// CPU time of this process (GC threads included), not wall time: the machine is shared, and a Lambda
// invocation is billed for its CPU-bound work the same way.
async function time(invoke: Invoke, event: Event, count: number): Promise<number> {
  const started = process.cpuUsage();
  for (let i = 0; i < count; i++) await invoke(event, context);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / count;
}

const names = Object.keys(contestants);
console.log(
  `node ${process.version}, ${rounds} rounds x ${iterations} invocations; CPU µs per invocation, median (ratio to the floor of the same round: median, min–max)\n`,
);
console.log(`| scenario | ${names.join(" | ")} |`);
console.log(`| --- | ${names.map(() => "---").join(" | ")} |`);
for (const [label, { event, v2 }] of Object.entries(scenarios)) {
  if (values.only !== undefined && !label.startsWith(values.only)) continue;
  for (const name of names) {
    const result = (await contestants[name](v2)(event, context)) as { statusCode?: number };
    if (result.statusCode !== 200) throw new Error(`${name} answered ${JSON.stringify(result)} for ${label}`);
    await time(contestants[name](v2), event, iterations); // warm-up
  }
  const turns = await takeTurns(names, rounds, (name) => time(contestants[name](v2), event, iterations));
  const samples = Object.fromEntries(names.map((name, i) => [name, turns[i]]));
  // Each round's ratio to that round's floor, so that drift between rounds cancels; the median counts.
  const cells = names.map((name) => {
    const us = median(samples[name]);
    if (name === "floor") return us.toFixed(1);
    const ratios = samples[name].map((value, round) => value / samples.floor[round]).sort((a, b) => a - b);
    return `${us.toFixed(1)} (${median(ratios).toFixed(2)}×, ${ratios[0].toFixed(2)}–${ratios[ratios.length - 1].toFixed(2)})`;
  });
  console.log(`| ${label} | ${cells.join(" | ")} |`);
}
