// The static-file bench: serveStatic against the usual Node static servers (sirv, serve-static) and against
// each runtime's raw file response (Bun.file on Bun, Deno.open's stream on Deno), on a small file (req/s)
// and a large one (MiB/s). The same machinery as run.ts: servers on core 0, wrk on core 1, targets taking
// turns round after round, ratios within one run only. Usage:
// node scripts/node.mjs bench/static.ts [--quick] [--runtime node,bun,deno] [--duration 2] [--rounds 3]
// [--warmup 1] [--connections 16] [--loadgen wrk|autocannon]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Sample } from "./load.ts";
import { machine, versions } from "./machine.ts";
import { median } from "./median.ts";
import { type Running, start, stop } from "./processes.ts";
import { interleave } from "./rounds.ts";
import type { Scenario } from "./scenarios.ts";
import { connections, duration, loadgen, rounds, runtimes, warmup } from "./settings.ts";
import type { Target } from "./targets.ts";

const SMALL = 1024;
const LARGE = 4 * 1024 * 1024;

const scenarios: (Scenario & { bytes: number })[] = [
  { name: "small", label: "1 KiB file, req/s", method: "GET", path: "/small.html", bytes: SMALL },
  { name: "large", label: "4 MiB file, MiB/s", method: "GET", path: "/large.bin", bytes: LARGE },
];

/** Per runtime, the targets; the first is the one the others are divided by. */
const groups: Record<string, Target[]> = {
  node: [
    { runtime: "node", name: "sirv", label: "sirv 3 on node:http", script: "static-node-sirv" },
    { runtime: "node", name: "serve-static", label: "serve-static 2 on node:http", script: "static-node-serve-static" },
    { runtime: "node", name: "tsgi", label: "tsgi serveStatic on adapters/node.ts", script: "static-node-tsgi" },
    {
      runtime: "node",
      name: "tsgi-memory",
      label: "(ceiling: adapters/node.ts, the same bytes from memory)",
      script: "static-node-tsgi-memory",
    },
  ],
  bun: [
    { runtime: "bun", name: "raw", label: "raw Bun.serve + Bun.file, no checks", script: "static-bun-raw" },
    { runtime: "bun", name: "tsgi", label: "tsgi serveStatic on adapters/bun.ts", script: "static-bun-tsgi" },
  ],
  deno: [
    { runtime: "deno", name: "raw", label: "raw Deno.serve + Deno.open stream, no checks", script: "static-deno-raw" },
    { runtime: "deno", name: "tsgi", label: "tsgi serveStatic on adapters/deno.ts", script: "static-deno-tsgi" },
  ],
};

type Measured = (typeof scenarios)[number];
const perMiB = (scenario: Measured): number => (scenario.name === "large" ? scenario.bytes / (1024 * 1024) : 1);

/** The figures kept of each sample: req/s (MiB/s for the large file), and the server's CPU per request (per MiB). */
const metrics = {
  speed: { title: "req/s (large: MiB/s), higher is better", of: (s: Measured, x: Sample) => x.rps * perMiB(s) },
  cpu: {
    title: "server CPU µs per request (large: per MiB), lower is better",
    of: (s: Measured, x: Sample) => x.cpuUs / perMiB(s),
  },
} satisfies Record<string, { title: string; of: (s: Measured, x: Sample) => number }>;
type Metric = keyof typeof metrics;

/** One metric as a table (the first target's figure, the others' ratios to it) and tsgi's ratio to each peer. */
function report(runtime: string, group: Target[], samples: Map<string, number[]>, metric: Metric): string {
  const figure = (name: string, scenario: string) => median(samples.get(`${metric}/${name}/${scenario}`) ?? [0]);
  const base = group[0].name;
  const head = `| ${runtime}: ${metrics[metric].title} | ${scenarios.map((s) => s.label).join(" | ")} |`;
  const rows = group.map((target) => {
    const cells = scenarios.map((s) => {
      const mine = figure(target.name, s.name);
      const digits = mine < 100 ? 1 : 0;
      return target.name === base
        ? mine.toFixed(digits)
        : `${mine.toFixed(digits)} (${(mine / figure(base, s.name)).toFixed(2)}×)`;
    });
    return `| ${target.label} | ${cells.join(" | ")} |`;
  });
  const ratios = group
    .filter((target) => target.name !== "tsgi")
    .map((target) => {
      const parts = scenarios.map(
        (s) => `${s.name} ${(figure("tsgi", s.name) / figure(target.name, s.name)).toFixed(2)}`,
      );
      return `${metric}: tsgi ÷ ${target.name}: ${parts.join(", ")}`;
    });
  return `${head}\n|---|${scenarios.map(() => "---").join("|")}|\n${rows.join("\n")}\n\n${ratios.join("\n")}\n`;
}

const root = mkdtempSync(join(tmpdir(), "tsgi-bench-static-"));
writeFileSync(join(root, "small.html"), `<!doctype html>${"<p>static</p>\n".repeat(SMALL / 14)}`.padEnd(SMALL, " "));
writeFileSync(
  join(root, "large.bin"),
  new Uint8Array(LARGE).map((_, i) => i % 251),
);
// The servers inherit it: processes.ts starts them with this process's environment.
process.env.TSGI_BENCH_STATIC_ROOT = root;

console.log(`# tsgi static-file bench, ${new Date().toISOString()}\n${machine}\n${versions}`);
console.log(`${loadgen}, ${connections} connections, ${duration} s × ${rounds} rounds after ${warmup} s warm-up\n`);
try {
  for (const runtime of runtimes) {
    const group = groups[runtime] ?? [];
    const running: Running[] = [];
    const samples = new Map<string, number[]>();
    try {
      for (const target of group) running.push(await start(target));
      await interleave(runtime, running, scenarios, (r, scenario, sample) => {
        if (sample.failures > 0) console.error(`\n${r.target.name} ${scenario.name}: ${sample.failures} failures`);
        for (const metric of Object.keys(metrics) as Metric[]) {
          const key = `${metric}/${r.target.name}/${scenario.name}`;
          samples.set(key, [...(samples.get(key) ?? []), metrics[metric].of(scenario, sample)]);
        }
      });
    } finally {
      await Promise.all(running.map(stop));
    }
    console.log(report(runtime, group, samples, "speed"));
    console.log(report(runtime, group, samples, "cpu"));
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
console.log("Medians over the rounds; (×) is the ratio to the first row of the same run.");
