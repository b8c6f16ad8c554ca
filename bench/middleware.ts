// In-process cost of compress() and of the tsgi.request tracing channel, µs per request, as ratios to the same
// application without them in the same run. Tracing is measured through toLambdaHandler, the in-process adapter
// that publishes on the channel, with nobody and with one subscriber. Variants take turns round after round so drift hits them alike; the
// median round counts. Each request is called as an adapter calls it and its body read to the end.
// Run: node scripts/node.mjs bench/middleware.ts [--rounds 31] [--iterations 2000] (also under deno and bun)
import { tracingChannel } from "node:diagnostics_channel";
import { parseArgs } from "node:util";
import { compress } from "../middleware/compress.ts";
import { readFileSync } from "node:fs";
import { toLambdaHandler } from "../adapters/aws-lambda.ts";
import type { Context, Handler } from "../src/types.ts";
import { upperMedian as median } from "./median.ts";
import { takeTurns } from "./turns.ts";

const { values } = parseArgs({
  options: { rounds: { type: "string", default: "31" }, iterations: { type: "string", default: "2000" } },
});
const rounds = Number(values.rounds);
const iterations = Number(values.iterations);

const text4k = "tsgi compresses what is worth compressing, and leaves the rest alone.\n".repeat(60).slice(0, 4096);
const app: Handler = (request) =>
  new Response(request.url.endsWith("/4k") ? text4k : "Hello, World!", {
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
const ctx = {} as Context;

interface Variant {
  name: string;
  handler: Handler;
  path: string;
  accept?: string;
  before?: () => void;
  after?: () => void;
}

const noop = () => {};
const subscriber = { start: noop, end: noop, asyncStart: noop, asyncEnd: noop, error: noop };
const channel = tracingChannel("tsgi.request");
const compressed = compress()(app);

// A Lambda invocation as a Variant: the event made once, the handler's result read back as a Response.
const lambda = toLambdaHandler(app);
const event = JSON.parse(
  readFileSync(new URL("../test/fixtures/aws-lambda/apigw-v2-get-query.json", import.meta.url), "utf8"),
);
const context = { awsRequestId: "bench", getRemainingTimeInMillis: () => 30_000 } as Parameters<typeof lambda>[1];
const invoke: Handler = async () => new Response(JSON.stringify(await lambda(event, context)));

const groups: Variant[][] = [
  [
    { name: "Lambda v2 GET, nobody subscribed", handler: invoke, path: "/hello" },
    {
      name: "Lambda v2 GET, one subscriber",
      handler: invoke,
      path: "/hello",
      before: () => channel.subscribe(subscriber),
      after: () => channel.unsubscribe(subscriber),
    },
  ],
  [
    { name: "hello 13 B, no compress()", handler: app, path: "/hello", accept: "gzip, br" },
    { name: "hello 13 B, compress(), no Accept-Encoding", handler: compressed, path: "/hello" },
    { name: "hello 13 B, compress(), gzip accepted (too small)", handler: compressed, path: "/hello", accept: "gzip" },
  ],
  [
    { name: "text 4 KiB, no compress()", handler: app, path: "/4k", accept: "gzip" },
    { name: "text 4 KiB, compress(), gzip", handler: compressed, path: "/4k", accept: "gzip" },
    { name: "text 4 KiB, compress(), br", handler: compressed, path: "/4k", accept: "br" },
  ],
];

async function once(variant: Variant): Promise<number> {
  const headers = variant.accept ? { "accept-encoding": variant.accept } : undefined;
  variant.before?.();
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    const request = new Request(`http://127.0.0.1${variant.path}`, { headers });
    const response = await variant.handler(request, {}, ctx);
    await response.arrayBuffer();
  }
  const elapsed = performance.now() - started;
  variant.after?.();
  return (elapsed * 1000) / iterations;
}

const runtime = "Deno" in globalThis ? "deno" : "Bun" in globalThis ? "bun" : `node ${process.versions.node}`;
console.log(`# bench/middleware.ts on ${runtime}: ${rounds} rounds of ${iterations} requests, median µs per request\n`);
console.log("| variant | µs | ratio to the first of its group |\n| --- | --- | --- |");
for (const group of groups) {
  for (const variant of group) await once(variant); // warm-up
  const samples = await takeTurns(group, rounds, once);
  const base = median(samples[0]);
  for (const [i, variant] of group.entries()) {
    const us = median(samples[i]);
    console.log(`| ${variant.name} | ${us.toFixed(2)} | ${(us / base).toFixed(3)} |`);
  }
}

// What the adapters' wrapper asks per request with nobody subscribed (src/server/tracing.ts), the same five
// reads done here: the kit is not the bench's to import.
const { start, end, asyncStart, asyncEnd, error } = channel;
const subscribed = () =>
  start.hasSubscribers ||
  end.hasSubscribers ||
  asyncStart.hasSubscribers ||
  asyncEnd.hasSubscribers ||
  error.hasSubscribers;
let checks = 0;
const started = performance.now();
for (let i = 0; i < 10_000_000; i++) if (subscribed()) checks++;
const ns = ((performance.now() - started) * 1e6) / 10_000_000;
console.log(`\nThe per-request subscriber check alone: ${ns.toFixed(1)} ns (subscribed: ${checks > 0})`);
