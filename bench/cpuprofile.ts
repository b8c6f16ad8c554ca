// Reading what --cpu-prof and --trace-gc leave behind: the functions with the most self time in a
// .cpuprofile (V8's Profile object, as Chrome DevTools reads it) and the pauses in a --trace-gc log.
// On its own: node scripts/node.mjs bench/cpuprofile.ts <file.cpuprofile | gc.log>... [--top 20] [--skip 1000]
// (--skip: ms at the start of a profile left out of the table by origin, the server's start).
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parseArgs } from "node:util";

/** The part of V8's Profiler.Profile used here. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  /** µs before each sample. */
  timeDeltas: number[];
}

/** A .cpuprofile as V8 wrote it. */
export function readProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
}

type Frame = CpuProfile["nodes"][number]["callFrame"];

/**
 * Self time per key (`keyOf` of a sample's function), idle time and the first
 * `skipMs` of the profile left out; and the busy time those keys share.
 */
function selfTime(profile: CpuProfile, keyOf: (frame: Frame) => string, skipMs: number) {
  const where = new Map(profile.nodes.map(({ id, callFrame }) => [id, callFrame]));
  const totals = new Map<string, number>();
  let at = 0;
  let busy = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    const frame = where.get(id);
    if (at < skipMs * 1000 || frame === undefined || frame.functionName === "(idle)") return;
    // A sample's time is the gap to the next one (the last gets the one before it).
    const us = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    const key = keyOf(frame);
    totals.set(key, (totals.get(key) ?? 0) + us);
    busy += us;
  });
  return { totals, busy };
}

function table(title: string, { totals, busy }: ReturnType<typeof selfTime>, top = Infinity): string {
  const rows = [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, us]) => `| ${key} | ${(us / 1000).toFixed(0)} | ${((us / busy) * 100).toFixed(1)}% |`);
  return `| ${title} (busy ${(busy / 1e6).toFixed(1)} s) | ms | share |\n|---|---|---|\n${rows.join("\n")}`;
}

const functionName = ({ functionName, url, lineNumber }: Frame): string => {
  const name = functionName || "(anonymous)";
  return url ? `${name} ${basename(url)}:${lineNumber + 1}` : name;
};

/** The `top` functions of `file`'s profile by self time, as a table; idle time is left out of the share. */
export function topSelfTime(profile: CpuProfile, file: string, top = 15): string {
  return table(`self time, ${basename(file)}`, selfTime(profile, functionName, 0), top);
}

// Where a sample's function lives: tsgi's own code, the bench application, Node (its JS and native code),
// or V8's own buckets. Paths are matched from the repository's folders.
function origin({ url, functionName: name }: Frame): string {
  if (url.includes("/node_modules/")) return "packages (node_modules)";
  if (/\/(adapters|src|middleware)\//.test(url)) return "tsgi (adapters/, src/, middleware/)";
  if (/\/bench\//.test(url)) return "the bench application and server script";
  if (name === "(garbage collector)" || name === "(program)") return name;
  return "Node (its JS and native code)";
}

/**
 * Self time by where the code lives (tsgi, the bench application, Node, packages, GC), leaving out idle
 * time and the first `skipMs` of the profile (the server's start: module loading and compilation).
 */
export function selfTimeByOrigin(profile: CpuProfile, skipMs = 1000): string {
  return table(`self time by origin, after ${skipMs} ms`, selfTime(profile, origin, skipMs));
}

/** GC pauses by kind from a --trace-gc log: how many, their total and the longest, and how many ran over 5 ms. */
export function gcPauses(file: string): string {
  const kinds = new Map<string, number[]>();
  // "[pid:0x...]  1234 ms: Scavenge 10.2 (12.3) -> 9.8 (13.3) MB, pooled: 0 MB, 1.23 / 0.00 ms ..."
  const line = /ms: ([A-Z][\w-]*(?: \(reduce\))?) .*? MB, (?:pooled: [\d.]+ MB, )?([\d.]+) \/ [\d.]+ ms/;
  for (const text of readFileSync(file, "utf8").split("\n")) {
    const match = line.exec(text);
    if (match) kinds.set(match[1], [...(kinds.get(match[1]) ?? []), Number(match[2])]);
  }
  if (kinds.size === 0) return `${basename(file)}: no GC lines`;
  const rows = [...kinds].map(([kind, ms]) => {
    const total = ms.reduce((sum, x) => sum + x, 0);
    const long = ms.filter((x) => x > 5).length;
    return `| ${kind} | ${ms.length} | ${total.toFixed(0)} ms | ${Math.max(...ms).toFixed(1)} ms | ${long} |`;
  });
  return `| GC pauses, ${basename(file)} | count | total | longest | over 5 ms |\n|---|---|---|---|---|\n${rows.join("\n")}`;
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: "string", default: "15" }, skip: { type: "string", default: "1000" } },
  });
  for (const file of positionals) {
    if (!file.endsWith(".cpuprofile")) console.log(`${gcPauses(file)}\n`);
    else {
      const profile = readProfile(file);
      console.log(
        `${topSelfTime(profile, file, Number(values.top))}\n\n${selfTimeByOrigin(profile, Number(values.skip))}\n`,
      );
    }
  }
}
