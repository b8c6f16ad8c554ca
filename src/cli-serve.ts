import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { parseCommand } from "./cli.ts";
import { CliError, EXIT_FAILURE, EXIT_OK, messageOf, UsageError } from "./cli-errors.ts";
import { hostRuntime, loadApp, resolveEntry, tsgiModule, type HostRuntime } from "./cli-load.ts";
import { runServer, type ServeFunction } from "./cli-run.ts";
import type { Server } from "./types.ts";

const HELP = `Usage:
  tsgi serve <entry> [options]

Serves the default export of <entry> (a handler or an object with fetch) on the runtime running
this command: node (npx tsgi), bun (bunx tsgi) or deno (deno run -A npm:tsgi).
TypeScript entries run as they are.

Options:
  --port <n>             Port to listen on; 0 picks a free one (default: $PORT or 3000)
  --host <name>          Interface to listen on (default: 127.0.0.1; 0.0.0.0 for all)
  --env-file <file>      Load environment variables from a .env file before the entry
  --watch                Restart when the entry or a module it imports changes
  --workers <n|auto>     Run n server processes on one port (default: 1; auto = one per core)
  -h, --help             Show this help

Examples:
  tsgi serve app.ts
  tsgi serve app.ts --port 8080 --host 0.0.0.0 --env-file .env
  tsgi serve app.ts --watch
  tsgi serve app.ts --workers auto

SIGINT and SIGTERM stop it gracefully: requests in flight and their waitUntil work finish first.
Exit codes: 0 stopped, 1 failed (entry not found or not an application, port in use), 2 bad command line.
`;

const OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  "env-file": { type: "string" },
  watch: { type: "boolean" },
  workers: { type: "string" },
} as const;

/** The options of one `tsgi serve`, checked. */
export interface ServeSettings {
  entry: string;
  port: number;
  hostname: string;
  workers: number;
  watch: boolean;
  envFile: string | undefined;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (value.trim() === "" || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be a number from 0 to 65535, got '${value}'`, "serve");
  }
  return port;
}

function parseWorkers(value: string | undefined): number {
  if (value === undefined) return 1;
  if (value === "auto") return availableParallelism();
  const workers = Number(value);
  if (!Number.isInteger(workers) || workers < 1)
    throw new UsageError(`--workers must be a whole number from 1 or 'auto', got '${value}'`, "serve");
  return workers;
}

/**
 * The `tsgi serve` command line as settings, or a `UsageError`; undefined after `--help`.
 *
 * @example
 * const settings = serveSettings(["app.ts", "--port", "8080"]); // { entry: "app.ts", port: 8080, ... }
 */
export function serveSettings(args: string[]): ServeSettings | undefined {
  const { values, positionals } = parseCommand(args, OPTIONS, "serve");
  if (values.help) return undefined;
  const [entry, ...extra] = positionals;
  if (entry === undefined) throw new UsageError("missing <entry>: tsgi serve <entry>", "serve");
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}' (tsgi serve takes one entry)`, "serve");
  const host = values.host as string | undefined;
  if (host === "") throw new UsageError("--host must not be empty", "serve");
  return {
    entry,
    port: parsePort((values.port as string | undefined) ?? process.env.PORT ?? "3000"),
    hostname: host ?? "127.0.0.1",
    workers: parseWorkers(values.workers as string | undefined),
    watch: values.watch === true,
    envFile: values["env-file"] as string | undefined,
  };
}

/**
 * The `serve` of the runtime running this process: `adapters/serve.ts` where it exists, else the
 * runtime's own adapter; imported on demand so Node never loads Deno's code.
 *
 * @example
 * const serve = await runtimeServe(hostRuntime());
 */
export async function runtimeServe(runtime: HostRuntime): Promise<ServeFunction> {
  for (const name of ["adapters/serve", `adapters/${runtime}`]) {
    const path = tsgiModule(name);
    if (existsSync(path)) return ((await import(pathToFileURL(path).href)) as { serve: ServeFunction }).serve;
  }
  throw new CliError(`tsgi has no adapter for ${runtime} in this installation`);
}

/**
 * The command that runs this CLI again on the same runtime: how `--watch` and `--workers` start children.
 *
 * @example
 * spawn(...selfCommand("deno", ["--watch"]));   // deno run -A --watch bin/tsgi.ts
 */
export function selfCommand(runtime: HostRuntime, flags: string[] = []): string[] {
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

function withoutFlag(args: string[], flag: string): string[] {
  return args.filter((arg) => arg !== flag);
}

/** `--watch`: the runtime's own watch mode, which follows every module the entry imports. */
function watch(args: string[], runtime: HostRuntime): Promise<number> {
  const flags = runtime === "node" ? ["--watch", "--watch-preserve-output"] : ["--watch"];
  // Deno's watcher outlives its program's exit and stops only on SIGINT.
  const env: Record<string, string> = runtime === "deno" ? { TSGI_DENO_WATCH: "1" } : {};
  return runChild(
    [...selfCommand(runtime, flags), "serve", ...withoutFlag(args, "--watch")],
    env,
    runtime === "deno" ? "SIGINT" : undefined,
  );
}

/**
 * `tsgi serve`: loads the entry, serves it on this runtime, and stays until SIGINT or SIGTERM.
 *
 * @example
 * process.exitCode = await serveCommand(["app.ts", "--port", "8080"]);
 */
export async function serveCommand(args: string[]): Promise<number> {
  const settings = serveSettings(args);
  if (settings === undefined) {
    process.stdout.write(HELP);
    return EXIT_OK;
  }
  const runtime = hostRuntime();
  if (settings.envFile !== undefined) loadEnvFile(settings.envFile);
  resolveEntry(settings.entry);
  if (settings.watch) return watch(args, runtime);
  const worker = process.env.TSGI_WORKER === "1";
  if (settings.workers > 1 && !worker) return (await import("./cli-workers.ts")).serveWorkers(settings, args, runtime);
  const app = await loadApp(settings.entry);
  const serve = await runtimeServe(runtime);
  const announce = worker
    ? announceToPrimary
    : (server: Server) => {
        process.stdout.write(`tsgi: serving ${settings.entry} on ${server.url} (${runtime})\n`);
      };
  const port = worker && process.env.TSGI_WORKER_PORT ? Number(process.env.TSGI_WORKER_PORT) : settings.port;
  const closed = worker && !process.send ? () => process.stdout.write("tsgi-worker: closed\n") : undefined;
  // Under Deno's watcher, SIGINT comes again until the watcher itself ends (see watch()): only the first counts.
  const watched = process.env.TSGI_DENO_WATCH === "1";
  await runServer(app, serve, {
    port,
    hostname: settings.hostname,
    reusePort: worker && runtime !== "node",
    announce,
    closed,
    exitOnSecondSignal: !worker && !watched,
  });
  // The server keeps the process alive; the signal handlers of runServer end it.
  return new Promise<number>(() => {});
}

/** A worker tells the primary where it listens: by IPC under Node's cluster, by a stdout line elsewhere. */
function announceToPrimary(server: Server): void {
  if (process.send) process.send({ tsgi: "listening", url: server.url });
  else process.stdout.write(`tsgi-worker: ${JSON.stringify({ url: server.url })}\n`);
}

function loadEnvFile(file: string): void {
  try {
    process.loadEnvFile(file);
  } catch (error) {
    throw new CliError(`cannot read --env-file ${file}: ${messageOf(error)}`);
  }
}
