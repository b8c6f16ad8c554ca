import { existsSync } from "node:fs";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { serveSettings } from "./args.ts";
import { isReportingServing, reportServing, runChild, selfCommand } from "./children.ts";
import { CliError, EXIT_OK, messageOf, UsageError } from "./errors.ts";
import { installFastGlobals } from "../server/fast/globals.ts";
import { type ServerRuntime, serverRuntime } from "../server/runtime.ts";
import { loadApp, resolveEntry, tsgiModule } from "./load.ts";
import { logger } from "../../middleware/logger.ts";
import { toHandler } from "../app.ts";
import { runServer, type ServeFunction } from "./process.ts";
import { readTlsFiles } from "./tls-files.ts";
import { checkStaticDir, withStaticFiles } from "./static.ts";
import type { Server } from "../types.ts";

const HELP = `Usage:
  tsgi serve <entry> [options]

Serves the default export of <entry> (a handler or an object with fetch) on the runtime running
this command: node (npx tsgi), bun (bunx tsgi) or deno (deno run -A npm:tsgi).
TypeScript entries run as they are.

Options:
  --port <n>             Port to listen on; 0 picks a free one (default: $PORT or 3000)
  --host <name>          Interface to listen on (default: 127.0.0.1; 0.0.0.0 for all)
  --env-file <file>      Load environment variables from a .env file before the entry
  --watch                Restart when the entry or a module it imports changes; log each request
  --workers <n|auto>     Run n server processes on one port (default: 1; auto = one per core)
  --fast-globals         Node only: put tsgi's lightweight Request, Response and Headers in the
                         globals, for about twice the requests per second (docs/performance.md)
  --tls-cert <file>      Serve HTTPS with this PEM certificate (chain), with --tls-key;
                         node and deno offer HTTP/2 too
  --tls-key <file>       The certificate's PEM private key, unencrypted
  --static <dir>         Answer from the files under <dir> first, then the entry (docs/static.md)
  -h, --help             Show this help

Examples:
  tsgi serve app.ts
  tsgi serve app.ts --port 8080 --host 0.0.0.0 --env-file .env
  tsgi serve app.ts --watch
  tsgi serve app.ts --workers auto
  tsgi serve app.ts --tls-cert cert.pem --tls-key key.pem
  tsgi serve app.ts --static public

SIGINT and SIGTERM stop it gracefully: requests in flight and their waitUntil work finish first.
Exit codes: 0 stopped, 1 failed (entry not found or not an application, port in use), 2 bad command line.
`;

/**
 * The `serve` of the runtime running this process: `adapters/serve.ts` where it exists, else the
 * runtime's own adapter; imported on demand so Node never loads Deno's code.
 *
 * @example
 * const serve = await runtimeServe(serverRuntime());
 */
export async function runtimeServe(runtime: ServerRuntime): Promise<ServeFunction> {
  for (const name of ["adapters/serve", `adapters/${runtime}`]) {
    const path = tsgiModule(name);
    if (existsSync(path)) return ((await import(pathToFileURL(path).href)) as { serve: ServeFunction }).serve;
  }
  throw new CliError(`tsgi has no adapter for ${runtime} in this installation`);
}

function withoutFlag(args: string[], flag: string): string[] {
  return args.filter((arg) => arg !== flag);
}

/** `--watch`: the runtime's own watch mode, which follows every module the entry imports. */
function watch(args: string[], runtime: ServerRuntime): Promise<number> {
  const flags = runtime === "node" ? ["--watch", "--watch-preserve-output"] : ["--watch"];
  // Deno's watcher heeds only SIGINT, and may outlive its program's exit (see StopOptions).
  const deno = runtime === "deno";
  return runChild(
    [...selfCommand(runtime, flags), "serve", ...withoutFlag(args, "--watch")],
    // Each request gets its log line under --watch, as a development server's do.
    { env: { TSGI_LOG_REQUESTS: "1" }, ...(deno ? { stopWith: "SIGINT", reportsServing: true } : {}) },
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
  const runtime = serverRuntime();
  if (settings.envFile !== undefined) loadEnvFile(settings.envFile);
  resolveEntry(settings.entry);
  const tls = settings.tlsFiles && readTlsFiles(settings.tlsFiles, ["--tls-cert", "--tls-key"]);
  if (settings.staticDir !== undefined) checkStaticDir(settings.staticDir);
  if (settings.watch) return watch(args, runtime);
  reportServing("starting");
  const worker = process.env.TSGI_WORKER === "1";
  if (settings.workers > 1 && !worker) return (await import("./workers.ts")).serveWorkers(settings, args, runtime);
  if (settings.fastGlobals) {
    if (runtime !== "node")
      throw new UsageError(`--fast-globals is for Node; ${runtime}'s own classes are fast already`, "serve");
    // Before the entry loads, so that even a Response it keeps from its first line is tsgi's.
    installFastGlobals();
  }
  const loaded = await loadApp(settings.entry);
  const served = settings.staticDir === undefined ? loaded : await withStaticFiles(loaded, settings.staticDir);
  const app = process.env.TSGI_LOG_REQUESTS === "1" ? logger()(toHandler(served)) : served;
  const serve = await runtimeServe(runtime);
  const announce = worker
    ? announceToPrimary
    : (server: Server) => {
        process.stdout.write(`tsgi: serving ${settings.entry} on ${server.url} (${runtime})\n`);
      };
  const port = worker && process.env.TSGI_WORKER_PORT ? Number(process.env.TSGI_WORKER_PORT) : settings.port;
  const closed = worker && !process.send ? () => process.stdout.write("tsgi-worker: closed\n") : undefined;
  // Under Deno's watcher a SIGINT may reach the program twice (its own listener and the watcher's): only the
  // first counts; a second one from the user makes the parent end us.
  const watched = isReportingServing();
  await runServer(app, serve, {
    port,
    hostname: settings.hostname,
    reusePort: worker && runtime !== "node",
    tls,
    fastGlobals: settings.fastGlobals,
    announce: (server) => {
      announce(server);
      reportServing("listening");
    },
    closed: () => {
      closed?.();
      reportServing("closed");
    },
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
