// Runs the real `tsgi` command (or a script it built) as a child process on a real runtime, and reads
// the line that says where it listens. Shared by test/cli.test.ts and test/cli-build.test.ts.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { runtimeCommand, type RuntimeName } from "./runtimes.ts";

export const root = fileURLToPath(new URL("..", import.meta.url));
export const tsgiBin = `${root}bin/tsgi.ts`;

/** A finished command: exit code and what it printed. */
export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The command line that runs a script file on a runtime (Bun without `run`, so `bun x.ts --flag` passes flags on). */
export function scriptCommand(runtime: RuntimeName): string[] {
  const command = runtimeCommand(runtime);
  return runtime === "bun" ? [command[0]] : command;
}

/** Runs `tsgi <args>` on `runtime` to its end (at most 20 s). */
export function tsgi(
  runtime: RuntimeName,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; encoding?: BufferEncoding } = {},
): Promise<Finished> {
  const [command, ...rest] = scriptCommand(runtime);
  const child = spawn(command, [...rest, tsgiBin, ...args], {
    cwd: options.cwd ?? root,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  // latin1 keeps a binary stdout byte for byte.
  child.stdout.setEncoding(options.encoding ?? "utf8");
  child.stdout.on("data", (chunk: string) => (stdout += chunk));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  return new Promise((resolve) =>
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** A server process started by the test. */
export interface Started {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Sends `signal` (default SIGTERM) to the process and resolves with its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** SIGKILL to its whole process group (watchers, workers), so a failed test leaves nothing running. */
  kill(): void;
}

/** Every process group started here; `killAll` ends what a failed test left. */
const groups = new Set<number>();

/** SIGKILL to every process group still running (an afterAll of the test files). */
export function killAll(): void {
  for (const pid of groups) killGroup(pid);
}

function killGroup(pid: number): void {
  groups.delete(pid);
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/**
 * Starts `command` and resolves once a stdout line matches `/ on (https?:\/\/\S+)/` (the line `tsgi serve`
 * and the built server scripts print); rejects with the output if it exits or stays silent 20 s.
 */
export function startListening(
  command: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<Started> {
  const [file, ...args] = command;
  // Its own process group, so kill() reaches the watcher's or the primary's children too.
  const child = spawn(file, args, {
    cwd: options.cwd ?? root,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  if (child.pid !== undefined) groups.add(child.pid);
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail("no listening line within 20 s"), 20_000);
    function fail(why: string): void {
      clearTimeout(timer);
      if (child.pid !== undefined) killGroup(child.pid);
      reject(new Error(`${command.join(" ")}: ${why}\n${output}`));
    }
    const early = (code: number | null): void => fail(`exited with ${code} before listening`);
    child.once("exit", early);
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk;
      const url = / on (https?:\/\/\S+)/.exec(output)?.[1];
      if (url === undefined) return;
      child.off("exit", early);
      child.stdout.removeAllListeners("data");
      child.stdout.on("data", (more: Buffer) => (output += more));
      clearTimeout(timer);
      resolve({
        url,
        child,
        output: () => output,
        stop(signal = "SIGTERM") {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
        kill: () => child.pid !== undefined && killGroup(child.pid),
      });
    });
  });
}

/** `tsgi serve <entry> --port 0 ...` on a runtime, once it listens. */
export function serveOn(
  runtime: RuntimeName,
  entry: string,
  args: string[] = [],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<Started> {
  return startListening([...scriptCommand(runtime), tsgiBin, "serve", entry, "--port", "0", ...args], options);
}

/** A user error: the documented code, one line on stderr, and no stack trace. */
export function expectOneLineError(result: Finished, code: number, pattern: RegExp): void {
  expect(result.code).toBe(code);
  const lines = result.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^tsgi: error: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}
