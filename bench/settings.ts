// This run's settings: the command line (its flags are listed in run.ts) and what the machine offers.
import { spawnSync } from "node:child_process";
import os from "node:os";
import { parseArgs } from "node:util";
import { runtimeCommand } from "../test/runtimes.ts";
import { scenarios } from "./scenarios.ts";

export const root = new URL("..", import.meta.url).pathname;

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    runtime: { type: "string", default: "node,bun,deno" },
    scenario: { type: "string" },
    target: { type: "string" },
    duration: { type: "string" },
    rounds: { type: "string" },
    // Seconds of load each server gets per scenario before the rounds; Node's fetch servers settle after a few.
    warmup: { type: "string" },
    connections: { type: "string", default: "16" },
    loadgen: { type: "string" },
    // Extra targets for A/B work, e.g. --add node:tsgi-b=/tmp/b/bench/servers/node-tsgi.ts
    add: { type: "string", multiple: true, default: [] },
    "no-extra": { type: "boolean", default: false },
    // Each target is loaded at the same time as the raw server, the two sharing core 0 (rounds.ts).
    together: { type: "boolean", default: false },
    // Node servers start with --cpu-prof (and --trace-gc); each writes under bench/results/profiles/<run>/.
    "cpu-prof": { type: "boolean", default: false },
    "trace-gc": { type: "boolean", default: false },
  },
});
/** When this run started: it names the run's results and profiles. */
export const started: Date = new Date();
export const stamp: string = started.toISOString().replace(/[:.]/g, "-");
export const quick = args.quick;
// wrk takes whole seconds.
export const duration = Math.max(1, Math.round(Number(args.duration ?? (quick ? 1 : 2))));
export const rounds = Number(args.rounds ?? (quick ? 1 : 3));
export const warmup = Math.max(0, Math.round(Number(args.warmup ?? 1)));
export const connections = Number(args.connections);
export const runtimes = args.runtime.split(",");
const scenarioNames = args.scenario?.split(",");
export const chosenScenarios = scenarioNames ? scenarios.filter((s) => scenarioNames.includes(s.name)) : scenarios;
export const chosenNames = args.target?.split(",");
/** `--add runtime:name=path` specs, each an extra target. */
export const added = args.add;
export const noExtra = args["no-extra"];
export const together = args.together;
export const cpuProf = args["cpu-prof"];
export const traceGc = args["trace-gc"];

export type BenchRuntime = "node" | "bun" | "deno";

/** The command line that runs a script on a bench runtime: Node is the newest line. */
export function command(runtime: BenchRuntime): string[] {
  return runtimeCommand(runtime === "node" ? "node24" : runtime);
}

const onPath = (bin: string): boolean => spawnSync("sh", ["-c", `command -v ${bin}`]).status === 0;
export const pinned = onPath("taskset") && os.availableParallelism() >= 2;
// wrk (Debian's package) costs the load generator far less CPU than autocannon, so the server is what
// saturates; autocannon (an npm dependency) is the fallback.
export const loadgen = args.loadgen ?? (onPath("wrk") ? "wrk" : "autocannon");
