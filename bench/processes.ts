// The bench servers as processes: started pinned to core 0, their URL read from the line they print, stopped
// (or killed, if this process is interrupted), and what /proc says of their memory and CPU time.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { keepGcLog, profileFlags, profiling } from "./profiling.ts";
import { command, pinned, root } from "./settings.ts";
import { scriptPath, type Target } from "./targets.ts";

export interface Running {
  target: Target;
  url: string;
  child: ChildProcess;
}

// Servers still running, stopped if this process is interrupted.
const live = new Set<ChildProcess>();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    for (const child of live) child.kill("SIGKILL");
    process.exit(130);
  });
}

export function start(target: Target): Promise<Running> {
  const [bin, ...rest] = command(target.runtime);
  const argv = [...rest, ...profileFlags(target), scriptPath(target)];
  // taskset execs the runtime, so the child's pid is the server's own (for /proc/PID/status).
  const child = pinned ? spawn("taskset", ["-c", "0", bin, ...argv], { cwd: root }) : spawn(bin, argv, { cwd: root });
  live.add(child);
  child.once("exit", () => live.delete(child));
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    if (stderr.length < 8192) stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => fail("no URL within 20 s"), 20_000);
    const fail = (why: string): void => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${target.runtime} ${target.name}: ${why}\n${stderr.slice(0, 2000)}`));
    };
    const exited = (code: number | null): void => fail(`exited with ${code}`);
    child.once("exit", exited);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
      const line = stdout.split("\n").find((l) => l.startsWith("{"));
      if (!line) return;
      clearTimeout(timer);
      child.off("exit", exited);
      child.stdout.removeAllListeners("data");
      if (!keepGcLog(target, child, stdout)) child.stdout.resume();
      resolve({ target, url: (JSON.parse(line) as { url: string }).url, child });
    });
  });
}

export function stop(running: Running): Promise<void> {
  return new Promise((resolve) => {
    if (running.child.exitCode !== null || running.child.signalCode !== null) return resolve();
    // A profiled server writes its profile as it exits.
    const timer = setTimeout(() => running.child.kill("SIGKILL"), profiling ? 20_000 : 2000);
    running.child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    running.child.kill("SIGTERM");
  });
}

/** Peak resident set of a process, in KiB; writing 5 to clear_refs restarts the peak. */
export function peakRss(pid: number, reset = false): number {
  try {
    if (reset) writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** utime + stime of a process, in clock ticks (100 per second on Linux). */
export function cpuTicks(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}
