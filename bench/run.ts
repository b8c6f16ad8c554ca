// The benchmark: serves the scenarios of scenarios.ts through each runtime's raw server, tsgi and the
// peers (targets.ts), and loads them on loopback with wrk (Debian's package) where it is installed, else
// autocannon (npm) (load.ts). The servers run on core 0, the load generator on core 1; targets take turns
// within each scenario, round after round (rounds.ts), so drift on a shared machine hits them all alike.
// Every figure is printed as a ratio to the raw server of the same run (report.ts). Usage:
// node scripts/node.mjs bench/run.ts [--quick] [--runtime node,bun,deno] [--scenario hello,...]
// [--target tsgi,...] [--duration 2] [--rounds 3] [--warmup 1] [--connections 16] [--loadgen wrk|autocannon]
// [--add node:name=path.ts] [--no-extra] [--cpu-prof] [--trace-gc] [--together]
// --cpu-prof and --trace-gc start the Node servers under V8's profiler or GC trace (profiling.ts) and print,
// after the run, where each profile went, its top self-time functions and its GC pauses.
// --together loads each target at the same time as the raw server, on the same core (rounds.ts).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { machine, setup, versions } from "./machine.ts";
import { profileSummary } from "./profiling.ts";
import { legend, section } from "./report.ts";
import { benchRuntime, type Results } from "./rounds.ts";
import { command, noExtra, pinned, quick, root, runtimes, stamp, started } from "./settings.ts";

if (pinned) execFileSync("taskset", ["-a", "-p", "-c", "1", String(process.pid)], { stdio: "ignore" });
const results: Results = new Map();
const sections: string[] = [];
console.log(`# tsgi bench, ${started.toISOString()}\n${machine}\n${versions}\n${setup}\n`);
for (const runtime of runtimes) {
  const group = await benchRuntime(runtime, results);
  if (group.length === 0) continue;
  const printed = section(runtime, group, results);
  sections.push(printed);
  console.log(`${printed}\n`);
}
console.log(legend);

const profiles = await profileSummary();
if (profiles) {
  console.log(`\n${profiles}`);
  sections.push(profiles);
}

// The in-process benches (Lambda invocation cost, bundle sizes and cold start, fromNodeListener against its peers),
// when present, in the same run.
const extras: [string, string[]][] = [
  ["lambda.ts", quick ? ["--rounds", "3", "--iterations", "1000"] : []],
  ["lambda-size.ts", []],
  ["node-listener.ts", quick ? ["--rounds", "3", "--iterations", "100"] : []],
  ["worker-size.ts", []],
];
if (!noExtra) {
  for (const [extra, extraArgs] of extras) {
    if (!existsSync(`${root}bench/${extra}`)) continue;
    console.log(`\n## bench/${extra}\n`);
    const out = spawnSync(command("node")[0], [`${root}bench/${extra}`, ...extraArgs], {
      encoding: "utf8",
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    });
    process.stdout.write(out.stdout ?? "");
    sections.push(`## bench/${extra}\n\n${out.stdout ?? ""}`);
  }
}

mkdirSync(`${root}bench/results`, { recursive: true });
const plain = Object.fromEntries([...results].map(([k, v]) => [k, Object.fromEntries(v)]));
writeFileSync(
  `${root}bench/results/${stamp}.json`,
  JSON.stringify({ started, machine, versions, setup, results: plain }, null, 1),
);
writeFileSync(
  `${root}bench/results/${stamp}.md`,
  `${machine}\n${versions}\n${setup}\n\n${sections.join("\n\n")}\n\n${legend}\n`,
);
console.log(`\nSaved as bench/results/${stamp}.md and .json`);
