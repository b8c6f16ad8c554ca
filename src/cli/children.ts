// The processes `tsgi serve` starts: itself again on the same runtime (for --watch and --workers), and how it
// waits for them.
import { type ChildProcess, spawn } from "node:child_process";
import { writeSync } from "node:fs";
import process from "node:process";
import { EXIT_FAILURE, EXIT_OK } from "./errors.ts";
import type { ServerRuntime } from "../server/runtime.ts";

/**
 * The command that runs this CLI again on the same runtime: how `--watch` and `--workers` start children.
 *
 * @example
 * spawn(...selfCommand("deno", ["--watch"]));   // deno run -A --watch bin/tsgi.ts
 */
export function selfCommand(runtime: ServerRuntime, flags: string[] = []): string[] {
  const script = process.argv[1];
  if (runtime === "deno") return [process.execPath, "run", "-A", ...flags, script];
  if (runtime === "bun") return [process.execPath, ...flags, script];
  return [process.execPath, ...process.execArgv, ...flags, script];
}

/** How `runChild` stops its child. */
export interface StopOptions {
  /** The signal the child heeds, sent in place of the one we got (Deno's watcher heeds only SIGINT). */
  stopWith?: NodeJS.Signals;
  /**
   * The child reports on fd 3 (`reportServing`) when a program starts, when its server listens and when
   * it has closed. Deno's watcher and its program are one process, and a watcher whose program has exited
   * may wait on for a file change whatever signal comes; so once the server has closed, or at once if none
   * is serving, the child is ended.
   */
  reportsServing?: boolean;
  /** Variables added to the child's environment. */
  env?: Record<string, string>;
}

/** Whether this process runs under a `runChild` with `reportsServing`. */
export function isReportingServing(): boolean {
  return process.env.TSGI_REPORTS_SERVING === "1";
}

/**
 * Tells the `tsgi serve --watch` parent (`runChild` with `reportsServing`) that a program starts, that its
 * server listens, or that it has closed; does nothing for a process with no such parent.
 */
export function reportServing(state: "starting" | "listening" | "closed"): void {
  if (!isReportingServing()) return;
  try {
    writeSync(3, `${state}\n`);
  } catch {
    // The parent is gone; nobody is waiting for this.
  }
}

/**
 * Sends `name` to a running child. Not `child.kill`: Deno's sends nothing once a first signal went out, so a
 * child deaf to that one could never be ended.
 */
function signal(child: ChildProcess, name: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(child.pid, name);
  } catch {
    // Gone in between.
  }
}

/**
 * Runs a child to its end with our stdio, passing SIGINT and SIGTERM on; a second signal ends it at once.
 * Resolves with its exit code, 0 when it ended because we asked it to.
 *
 * @example
 * process.exitCode = await runChild([process.execPath, "--watch", "server.js"]);
 */
export function runChild(command: string[], stop: StopOptions = {}): Promise<number> {
  const [file, ...args] = command;
  const reports = stop.reportsServing === true;
  const child = spawn(file, args, {
    stdio: reports ? ["inherit", "inherit", "inherit", "pipe"] : "inherit",
    env: { ...process.env, ...stop.env, ...(reports ? { TSGI_REPORTS_SERVING: "1" } : {}) },
  });
  let asked = false;
  let serving = false;
  const end = (): void => signal(child, "SIGKILL");
  child.stdio[3]?.on("data", (chunk: Buffer) => {
    for (const state of String(chunk).split("\n")) {
      if (state !== "starting" && state !== "listening" && state !== "closed") continue;
      serving = state === "listening";
      // A server that came up after we asked has not heard it yet.
      if (asked) serving ? signal(child, stop.stopWith ?? "SIGTERM") : end();
    }
  });
  const forward = (received: NodeJS.Signals): void => {
    if (asked) return end();
    asked = true;
    if (reports && !serving) return end();
    signal(child, stop.stopWith ?? received);
  };
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  return new Promise((resolve) => {
    child.once("error", () => resolve(EXIT_FAILURE));
    child.once("exit", (code, killedBy) => resolve(asked ? EXIT_OK : (code ?? (killedBy ? EXIT_FAILURE : EXIT_OK))));
  });
}
