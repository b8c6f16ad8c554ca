// --cpu-prof and --trace-gc: the Node bench servers start with V8's profiler or GC trace on, each writing
// into its own folder under bench/results/profiles/<run>/, summarised after the run (cpuprofile.ts).
import type { ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readdirSync } from "node:fs";
import { finished } from "node:stream/promises";
import { gcPauses, readProfile, selfTimeByOrigin, topSelfTime } from "./cpuprofile.ts";
import { cpuProf, root, stamp, traceGc } from "./settings.ts";
import type { Target } from "./targets.ts";

export const profiling: boolean = cpuProf || traceGc;
const profiles = `${root}bench/results/profiles/${stamp}/`;
const folder = (target: Target): string => `${profiles}${target.runtime}-${target.name}/`;
const logsWritten: Promise<void>[] = [];

// The servers do not handle SIGTERM, and a process killed by it writes no profile: exit instead.
const exitOnTerm = 'data:text/javascript,process.once("SIGTERM",()=>process.exit(0))';

/** The runtime flags a server starts with: none unless profiling, and only Node has these. */
export function profileFlags(target: Target): string[] {
  if (!profiling || target.runtime !== "node") return [];
  mkdirSync(folder(target), { recursive: true });
  const flags = ["--import", exitOnTerm];
  if (cpuProf) flags.push("--cpu-prof", `--cpu-prof-dir=${folder(target)}`);
  if (traceGc) flags.push("--trace-gc");
  return flags;
}

/** Under --trace-gc, a server's stdout (where V8 traces) goes to gc.log; returns whether it took the stream. */
export function keepGcLog(target: Target, child: ChildProcess, printed: string): boolean {
  if (!traceGc || target.runtime !== "node" || !child.stdout) return false;
  const log = createWriteStream(`${folder(target)}gc.log`);
  log.write(printed);
  child.stdout.pipe(log);
  logsWritten.push(finished(log).catch(() => {}));
  return true;
}

/** After the servers stopped: where each profile went, its top self-time functions, its time by origin and its GC pauses. */
export async function profileSummary(): Promise<string> {
  if (!profiling || !existsSync(profiles)) return "";
  await Promise.all(logsWritten);
  const parts = [`## Profiles in ${profiles}`];
  for (const name of readdirSync(profiles).sort()) {
    const dir = `${profiles}${name}/`;
    parts.push(`### ${name}`);
    for (const file of readdirSync(dir).sort()) {
      if (file.endsWith(".cpuprofile")) {
        const profile = readProfile(`${dir}${file}`);
        parts.push(`${dir}${file}`, topSelfTime(profile, file), selfTimeByOrigin(profile));
      } else if (file === "gc.log") parts.push(`${dir}${file}`, gcPauses(`${dir}${file}`));
    }
  }
  return parts.join("\n\n");
}
