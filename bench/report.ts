// The printed report of one runtime: req/s, CPU per request and p99 latency as ratios to the raw server of
// the same run, peak memory, and whether tsgi met the issue's targets.
import { median } from "./median.ts";
import type { Results } from "./rounds.ts";
import type { Sample } from "./load.ts";
import { chosenScenarios, rounds, together } from "./settings.ts";
import type { Target } from "./targets.ts";

export const legend = together
  ? "Raw rows: the median, while it shared core 0 with another target (so about half its rate alone); other rows: the median over rounds of the ratio to the raw server loaded in the same seconds (req/s: higher is better; CPU per request and p99 latency: lower is better). ± is half the min–max spread of those ratios."
  : "Raw rows: the median; other rows: the median as a ratio to the raw row of the same run (req/s: higher is better; CPU per request and p99 latency: lower is better). ± is half the min–max spread over rounds.";

type Metric = "rps" | "cpuUs" | "p99Ms";

const kilo = (n: number): string =>
  n >= 10_000 ? `${(n / 1000).toFixed(1)}k` : n >= 1000 ? `${(n / 1000).toFixed(2)}k` : n.toFixed(0);

/** Each metric's table title and how its raw row prints. */
const metrics: Record<Metric, { title: string; absolute: (m: number) => string }> = {
  rps: { title: "req/s", absolute: (m) => `${kilo(m)} req/s` },
  cpuUs: { title: "server CPU per request", absolute: (m) => `${m.toFixed(1)} µs` },
  p99Ms: { title: "p99 latency", absolute: (m) => `${m < 10 ? m.toFixed(2) : m.toFixed(1)} ms` },
};

/**
 * A target's figure as a ratio to raw, with the values its spread is taken over: under --together the median
 * of each sample's ratio to the raw sample beside it, else the ratio of the medians.
 */
function ratioToRaw(samples: Sample[], raw: Sample[], metric: Metric): { ratio: number; values: number[] } {
  if (samples.length > 0 && samples.every((x) => x.beside !== undefined)) {
    const ratios = samples.map((x) => x[metric] / (x.beside as Sample)[metric]);
    return { ratio: median(ratios), values: ratios };
  }
  return {
    ratio: median(samples.map((x) => x[metric])) / median(raw.map((x) => x[metric])),
    values: samples.map((x) => x[metric]),
  };
}

function table(runtime: string, group: Target[], results: Results, metric: Metric): string {
  const title = `${runtime}: ${metrics[metric].title}`;
  const head = `| ${title} | ${chosenScenarios.map((s) => s.label).join(" | ")} |\n|---|${chosenScenarios.map(() => "---").join("|")}|`;
  const raw = results.get(`${runtime}/raw`);
  const rows = group.map((t) => {
    const mine = results.get(`${runtime}/${t.name}`);
    const cells = chosenScenarios.map((s) => {
      const samples = mine?.get(s.name) ?? [];
      const base = raw?.get(s.name) ?? [];
      if (samples.length === 0 || base.length === 0) return "–";
      const { ratio, values } = ratioToRaw(samples, base, metric);
      const m = median(values);
      const spread = rounds > 1 ? ` ±${(((Math.max(...values) - Math.min(...values)) / 2 / m) * 100).toFixed(0)}%` : "";
      const failed = samples.some((x) => x.failures > 0) ? " (errors!)" : "";
      return `${t.name === "raw" ? metrics[metric].absolute(m) : ratio.toFixed(2)}${spread}${failed}`;
    });
    return `| ${t.label} | ${cells.join(" | ")} |`;
  });
  return `${head}\n${rows.join("\n")}`;
}

/** A mode's targets: its share of raw, the targets it must be ahead of, and its p99 at most `tail` × raw. */
interface Goal {
  target: string;
  share: number;
  ahead: string[];
  tail: number;
}

// Node: the fast mode ahead of the fastest peers, the default mode on its floor and ahead of its like.
const goals: Record<string, Goal[]> = {
  node: [
    { target: "tsgi-fast", share: 0.95, ahead: ["hono", "srvx-fast"], tail: 1.5 },
    { target: "tsgi", share: 0, ahead: ["floor", "whatwg"], tail: 3 },
  ],
};

/** The issue's targets, checked on this run's medians, for the targets this run measured. */
function verdict(runtime: string, group: Target[], results: Results): string {
  const samplesOf = (name: string, scenario: string): Sample[] =>
    results.get(`${runtime}/${name}`)?.get(scenario) ?? [];
  // A target's figure as a ratio to raw's (1 for raw itself).
  const of = (name: string, scenario: string, metric: Metric): number =>
    name === "raw" ? 1 : ratioToRaw(samplesOf(name, scenario), samplesOf("raw", scenario), metric).ratio;
  const ran = new Set(group.map((t) => t.name));
  const checks = (goals[runtime] ?? [{ target: "tsgi", share: 0.97, ahead: [], tail: Infinity }]).filter((g) =>
    ran.has(g.target),
  );
  const lines = checks.flatMap((goal) =>
    chosenScenarios.map((s) => {
      const rps = (name: string): number => of(name, s.name, "rps");
      const share = rps(goal.target) / rps("raw");
      const behind = goal.ahead.filter((peer) => ran.has(peer) && rps(peer) > rps(goal.target));
      const byCpu = of("raw", s.name, "cpuUs") / of(goal.target, s.name, "cpuUs");
      const tail = of(goal.target, s.name, "p99Ms") / of("raw", s.name, "p99Ms");
      const met = share >= goal.share && behind.length === 0 && tail <= goal.tail ? "met" : "NOT met";
      const wanted = goal.share > 0 ? `; goal ${goal.share * 100}%` : "";
      return `${goal.target} ${s.name}: ${(share * 100).toFixed(0)}% of raw req/s (${(byCpu * 100).toFixed(0)}% by CPU per request${wanted}), p99 ${tail.toFixed(1)}× raw${Number.isFinite(goal.tail) ? ` (goal ≤ ${goal.tail})` : ""}${behind.length ? `, behind ${behind.join(", ")}` : ""} — ${met}`;
    }),
  );
  if (lines.length === 0) return "";
  const how = together ? "each beside raw, medians of the ratios" : "this run's medians";
  return `Targets on ${runtime} (${how}): ${lines.join("; ")}.`;
}

function rssTable(runtime: string, group: Target[], results: Results): string {
  const head = `| ${runtime}: peak RSS, MiB | ${chosenScenarios.map((s) => s.label).join(" | ")} |\n|---|${chosenScenarios.map(() => "---").join("|")}|`;
  const rows = group.map((t) => {
    const mine = results.get(`${runtime}/${t.name}`);
    const cells = chosenScenarios.map((s) => {
      const samples = mine?.get(s.name) ?? [];
      return samples.length ? (Math.max(...samples.map((x) => x.rssKiB)) / 1024).toFixed(0) : "–";
    });
    return `| ${t.label} | ${cells.join(" | ")} |`;
  });
  return `${head}\n${rows.join("\n")}`;
}

/** The tables of one runtime, and the verdict when tsgi ran. */
export function section(runtime: string, group: Target[], results: Results): string {
  const parts = [
    table(runtime, group, results, "rps"),
    table(runtime, group, results, "cpuUs"),
    table(runtime, group, results, "p99Ms"),
    rssTable(runtime, group, results),
  ];
  parts.push(verdict(runtime, group, results));
  return parts.filter((part) => part !== "").join("\n\n");
}
