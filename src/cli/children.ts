// The processes `tsgi serve` starts: itself again on the same runtime (for --watch and --workers), and how it
// waits for them.
import { spawn } from "node:child_process";
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

/**
 * Runs a child to its end with our stdio, passing SIGINT and SIGTERM on (as `stopWith` where the child
 * heeds only that one); resolves with its exit code, 0 when it ended because we asked it to.
 *
 * @example
 * process.exitCode = await runChild([process.execPath, "--watch", "server.js"]);
 */
export function runChild(
  command: string[],
  env: Record<string, string> = {},
  stopWith?: NodeJS.Signals,
): Promise<number> {
  const [file, ...args] = command;
  const child = spawn(file, args, { stdio: "inherit", env: { ...process.env, ...env } });
  let asked = false;
  const forward = (signal: NodeJS.Signals): void => {
    if (asked) return;
    asked = true;
    child.kill(stopWith ?? signal);
    // Deno's watcher takes the program's exit for a finished run and waits for a change; a SIGINT that
    // finds no program running ends it. So the signal comes again until the child is gone.
    if (stopWith) {
      const again = setInterval(() => child.kill(stopWith), 250);
      child.once("exit", () => clearInterval(again));
    }
  };
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  return new Promise((resolve) => {
    child.once("error", () => resolve(EXIT_FAILURE));
    child.once("exit", (code, signal) => resolve(asked ? EXIT_OK : (code ?? (signal ? EXIT_FAILURE : EXIT_OK))));
  });
}
