import process from "node:process";
import { isPort } from "../server/options.ts";
import { InvalidOptionError } from "../errors.ts";
import { CliError, messageOf } from "./errors.ts";
import { tlsFromEnv } from "./tls-files.ts";
import type { App, Server, ServeOptions, TlsOptions } from "../types.ts";

/** Any adapter's `serve`. */
export type ServeFunction = (app: App, options: ServeOptions & { fastGlobals?: boolean }) => Promise<Server>;

/** What `runServer` needs besides the application. */
export interface RunOptions {
  port: number;
  hostname: string;
  /** Several processes share the port (`--workers` on Deno and Bun). */
  reusePort?: boolean;
  /** Serve HTTPS (and HTTP/2 where the runtime offers it) with this certificate and key. */
  tls?: TlsOptions;
  /** Node: serve through the light Requests and Responses (`--fast-globals`). */
  fastGlobals?: boolean;
  /** A second signal exits at once (default true); a worker leaves that to its primary. */
  exitOnSecondSignal?: boolean;
  /** Told the server once it listens; by default one line on stdout. */
  announce(server: Server): void;
  /** Told once the graceful close is done, just before the process exits 0. */
  closed?(): void;
  /** Ends the process after a graceful close; default `process.exit(0)`. */
  exit?(): void;
}

/**
 * A listen error as the user would say it: the port is taken, not allowed, or the host unknown.
 *
 * @example
 * throw listenError(error, 3000, "127.0.0.1"); // "port 3000 on 127.0.0.1 is already in use ..."
 */
export function listenError(error: unknown, port: number, hostname: string): CliError {
  // A certificate the runtime refused says so itself.
  if (error instanceof InvalidOptionError) return new CliError(error.message.replace(/^tsgi: /, ""));
  const { code, name } = error as { code?: string; name?: string };
  if (code === "EADDRINUSE" || name === "AddrInUse")
    return new CliError(`port ${port} on ${hostname} is already in use (choose another with --port)`);
  if (code === "EACCES" || name === "PermissionDenied")
    return new CliError(`not allowed to listen on port ${port} on ${hostname}`);
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || name === "AddrNotAvailable")
    return new CliError(`cannot listen on host ${hostname}: no such local address`);
  return new CliError(`cannot listen on ${hostname}:${port}: ${messageOf(error)}`);
}

/**
 * Serves the application, announces where, and on SIGINT or SIGTERM closes it gracefully (requests in
 * flight and their `waitUntil` work finish) and exits 0; a second signal exits at once.
 *
 * @example
 * await runServer(app, serve, { port: 3000, hostname: "127.0.0.1", announce: (s) => console.log(s.url) });
 */
export async function runServer(app: App, serve: ServeFunction, options: RunOptions): Promise<Server> {
  const { port, hostname, reusePort, tls, fastGlobals } = options;
  let server: Server;
  try {
    const extra = { ...(reusePort && { reusePort }), ...(tls && { tls }), ...(fastGlobals && { fastGlobals }) };
    server = await serve(app, { port, hostname, ...extra });
  } catch (error) {
    throw listenError(error, port, hostname);
  }
  let stopping = false;
  const stop = (): void => {
    if (stopping) {
      if (options.exitOnSecondSignal !== false) process.exit(1);
      return;
    }
    stopping = true;
    void server.close().then(() => {
      options.closed?.();
      if (options.exit) options.exit();
      else process.exit(0);
    });
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  options.announce(server);
  return server;
}

/**
 * The main of a server script that `tsgi build` wrote: listens on `PORT` (default 3000) and `HOST`
 * (default 0.0.0.0, so it is reachable inside a container), over HTTPS when `TLS_CERT` and `TLS_KEY`
 * name a certificate and key file; a bad value or a taken port is one line.
 *
 * @example
 * await startBuiltServer(app, serve, "node");
 */
export async function startBuiltServer(app: App, serve: ServeFunction, runtime: string): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const hostname = process.env.HOST || "0.0.0.0";
  try {
    if (!isPort(port)) throw new CliError(`PORT must be a port number, got '${process.env.PORT}'`);
    await runServer(app, serve, {
      port,
      hostname,
      tls: tlsFromEnv(),
      announce: (server) => console.log(`tsgi: listening on ${server.url} (${runtime})`),
    });
  } catch (error) {
    process.stderr.write(`tsgi: error: ${messageOf(error)}\n`);
    process.exit(1);
  }
}
