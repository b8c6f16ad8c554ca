// Reading what --cpu-prof and --trace-gc leave behind: the functions with the most self time in a
// .cpuprofile (V8's Profile object, as Chrome DevTools reads it) and the pauses in a --trace-gc log.
// On its own: node scripts/node.mjs bench/cpuprofile.ts <file.cpuprofile | gc.log>... [--top 20] [--skip 1000]
// (--skip: ms at the start of a profile left out of the table by origin, the server's start).
import { readFileSync } from "node:fs";
import { basename } from "node:path";

/** The part of V8's Profiler.Profile used here. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  /** µs before each sample. */
  timeDeltas: number[];
}

/** The `top` functions by self time, as a table; idle time is left out of the share. */
export function topSelfTime(file: string, top = 15): string {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const where = new Map<number, string>();
  for (const { id, callFrame } of profile.nodes) {
    const name = callFrame.functionName || "(anonymous)";
    where.set(id, callFrame.url ? `${name} ${basename(callFrame.url)}:${callFrame.lineNumber + 1}` : name);
  }
  const self = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const key = where.get(id) ?? "?";
    // A sample's time is the gap to the next one (the last gets the one before it).
    const us = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    self.set(key, (self.get(key) ?? 0) + us);
    if (key !== "(idle)") busy += us;
  });
  const rows = [...self]
    .filter(([key]) => key !== "(idle)")
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, us]) => `| ${key} | ${(us / 1000).toFixed(0)} | ${((us / busy) * 100).toFixed(1)}% |`);
  const head = `| self time, ${basename(file)} (busy ${(busy / 1e6).toFixed(1)} s) | ms | share |\n|---|---|---|`;
  return `${head}\n${rows.join("\n")}`;
}

// Where a sample's function lives: tsgi's own code, the bench application, Node (its JS and native code),
// or V8's own buckets. Paths are matched from the repository's folders.
function origin(url: string, name: string): string {
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
export function selfTimeByOrigin(file: string, skipMs = 1000): string {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const where = new Map(profile.nodes.map(({ id, callFrame }) => [id, callFrame]));
  const shares = new Map<string, number>();
  let at = 0;
  let busy = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    const frame = where.get(id);
    if (at < skipMs * 1000 || frame === undefined || frame.functionName === "(idle)") return;
    const us = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    const key = origin(frame.url, frame.functionName);
    shares.set(key, (shares.get(key) ?? 0) + us);
    busy += us;
  });
  const rows = [...shares]
    .sort((a, b) => b[1] - a[1])
    .map(([key, us]) => `| ${key} | ${(us / 1000).toFixed(0)} | ${((us / busy) * 100).toFixed(1)}% |`);
  const head = `| self time by origin, after ${skipMs} ms (busy ${(busy / 1e6).toFixed(1)} s) | ms | share |\n|---|---|---|`;
  return `${head}\n${rows.join("\n")}`;
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
  const args = process.argv.slice(2);
  const at = args.indexOf("--top");
  const top = at >= 0 ? Number(args.splice(at, 2)[1]) : 15;
  const skipAt = args.indexOf("--skip");
  const skip = skipAt >= 0 ? Number(args.splice(skipAt, 2)[1]) : 1000;
  for (const file of args) {
    if (!file.endsWith(".cpuprofile")) console.log(`${gcPauses(file)}\n`);
    else console.log(`${topSelfTime(file, top)}\n\n${selfTimeByOrigin(file, skip)}\n`);
  }
}
