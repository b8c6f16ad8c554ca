// One runtime's measurements: its targets start together, then take turns within each scenario, round after
// round, each round starting one target later, so drift on a shared machine hits them all alike. Under
// --together each target is loaded at the same time as the raw server: the two share core 0 (and wrk's two
// processes core 1), so whatever else runs on the machine slows both alike, and the ratio of their rates is
// the ratio of their CPU cost per request, seconds apart from nothing.
import { existsSync } from "node:fs";
import { load, type Sample } from "./load.ts";
import { start, stop, type Running } from "./processes.ts";
import type { Scenario } from "./scenarios.ts";
import { chosenNames, chosenScenarios, duration, quick, rounds, together, warmup } from "./settings.ts";
import { scriptPath, targets, type Target } from "./targets.ts";

/**
 * Loads each scenario on every running server: the warm-up, then `rounds` rounds in which the servers take
 * turns, each round starting one server later, so that no server always runs first or last.
 */
export async function interleave<S extends Scenario>(
  runtime: string,
  running: Running[],
  scenarios: readonly S[],
  record: (r: Running, scenario: S, sample: Sample) => void,
): Promise<void> {
  for (const scenario of scenarios) {
    process.stderr.write(`${runtime} ${scenario.name}: `);
    if (warmup > 0) for (const r of running) await load(r, scenario, warmup);
    const raw = running.find((r) => r.target.name === "raw");
    const beside = together ? raw : undefined;
    const turns = beside === undefined ? running : running.filter((r) => r !== beside);
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < turns.length; i++) {
        const r = turns[(i + round) % turns.length];
        if (beside === undefined) record(r, scenario, await load(r, scenario, duration));
        else {
          const [rawSample, sample] = await Promise.all([
            load(beside, scenario, duration),
            load(r, scenario, duration),
          ]);
          record(beside, scenario, rawSample);
          record(r, scenario, { ...sample, beside: rawSample });
        }
        process.stderr.write(".");
      }
    }
    process.stderr.write("\n");
  }
}

/** samples[target][scenario] */
export type Results = Map<string, Map<string, Sample[]>>;

/** Measures `runtime`'s targets into `results`; returns the targets that ran (none without a raw server). */
export async function benchRuntime(runtime: string, results: Results): Promise<Target[]> {
  const group = targets.filter(
    (t) =>
      t.runtime === runtime &&
      (!quick || t.quick) &&
      (t.name === "raw" || !chosenNames || chosenNames.includes(t.name)) &&
      existsSync(scriptPath(t)),
  );
  const running: Running[] = [];
  try {
    for (const target of group) {
      try {
        running.push(await start(target));
      } catch (error) {
        console.error(`skipped: ${(error as Error).message.split("\n")[0]}`);
      }
    }
    if (!running.some((r) => r.target.name === "raw")) return [];
    await interleave(runtime, running, chosenScenarios, (r, scenario, sample) => {
      const key = `${runtime}/${r.target.name}`;
      const byScenario = results.get(key) ?? new Map<string, Sample[]>();
      results.set(key, byScenario);
      byScenario.set(scenario.name, [...(byScenario.get(scenario.name) ?? []), sample]);
    });
  } finally {
    await Promise.all(running.map(stop));
  }
  return running.map((r) => r.target);
}
