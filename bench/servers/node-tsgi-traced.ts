// tsgi on Node with a subscriber on tsgi.request, as an OpenTelemetry instrumentation would have: the cost of
// tracing when someone listens (with nobody listening, the tsgi target is that case).
import { tracingChannel } from "node:diagnostics_channel";
import { serve } from "../../adapters/node.ts";
import { createBenchApp } from "../scenarios.ts";

let seen = 0;
const count = () => {
  seen++;
};
tracingChannel("tsgi.request").subscribe({
  start: count,
  end: count,
  asyncStart: count,
  asyncEnd: count,
  error: count,
});
const server = await serve(createBenchApp(), { port: 0, hostname: "127.0.0.1" });
console.log(JSON.stringify({ url: server.url, seen }));
