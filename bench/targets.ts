// The servers the bench compares on each runtime: its raw server, tsgi and the peers, one script each in
// bench/servers/, plus any --add brings.
import { added, root, type BenchRuntime } from "./settings.ts";

export interface Target {
  runtime: BenchRuntime;
  name: string;
  label: string;
  script: string;
  /** A server script outside bench/servers (from --add). */
  path?: string;
  /** In quick mode only these run. */
  quick?: boolean;
}

export const targets: Target[] = [
  { runtime: "node", name: "raw", label: "raw node:http", script: "node-raw", quick: true },
  { runtime: "node", name: "tsgi", label: "tsgi (adapters/node.ts)", script: "node-tsgi", quick: true },
  { runtime: "node", name: "tsgi-fast", label: "tsgi, fastGlobals", script: "node-tsgi-fast", quick: true },
  {
    runtime: "node",
    name: "tsgi-wrapped",
    label: "tsgi, bodies rewrapped, ending at once (one write)",
    script: "node-tsgi-wrapped",
  },
  {
    runtime: "node",
    name: "tsgi-streamed",
    label: "tsgi, bodies rewrapped, ending a turn later (chunked)",
    script: "node-tsgi-streamed",
  },
  {
    runtime: "node",
    name: "tsgi-compress",
    label: "tsgi behind compress(), no Accept-Encoding",
    script: "node-tsgi-compress",
  },
  { runtime: "node", name: "tsgi-traced", label: "tsgi, tsgi.request subscribed", script: "node-tsgi-traced" },
  { runtime: "node", name: "floor", label: "(floor: Node's fetch objects, no adapter)", script: "node-fetch-floor" },
  {
    runtime: "node",
    name: "raw-stream",
    label: "(raw node:http, the upload read through a ReadableStream)",
    script: "node-raw-stream",
  },
  { runtime: "node", name: "hono", label: "@hono/node-server (globals replaced)", script: "node-hono", quick: true },
  { runtime: "node", name: "srvx-fast", label: "srvx + FastResponse", script: "node-srvx-fast", quick: true },
  { runtime: "node", name: "srvx", label: "srvx + global Response", script: "node-srvx" },
  { runtime: "node", name: "whatwg", label: "@whatwg-node/server", script: "node-whatwg" },
  { runtime: "node", name: "remix", label: "@remix-run/node-fetch-server", script: "node-remix" },
  { runtime: "bun", name: "raw", label: "raw Bun.serve", script: "bun-raw", quick: true },
  { runtime: "bun", name: "tsgi", label: "tsgi (adapters/bun.ts)", script: "bun-tsgi", quick: true },
  { runtime: "bun", name: "srvx", label: "srvx on Bun", script: "bun-srvx" },
  { runtime: "deno", name: "raw", label: "raw Deno.serve", script: "deno-raw", quick: true },
  { runtime: "deno", name: "tsgi", label: "tsgi (adapters/deno.ts)", script: "deno-tsgi", quick: true },
  { runtime: "deno", name: "srvx", label: "srvx on Deno", script: "deno-srvx" },
];

const isRuntime = (name: string): name is BenchRuntime => name === "node" || name === "bun" || name === "deno";

for (const spec of added) {
  const [, runtime = "", name, path] = /^(node|bun|deno):([\w-]+)=(.+)$/.exec(spec) ?? [];
  if (!path || !isRuntime(runtime)) throw new Error(`--add wants runtime:name=path, got ${spec}`);
  targets.push({ runtime, name, label: name, script: name, path, quick: true });
}

export const scriptPath = (t: Target): string => t.path ?? `${root}bench/servers/${t.script}.ts`;
