// How the reliability suite starts the conformance app on each runtime, with the timeouts its cases need.
import { startServer, type RuntimeName } from "../runtimes.ts";
import type { ServerOptions } from "../servers/args.ts";
import type { ReliabilityServer } from "./suite.ts";

const timeouts: Partial<Record<RuntimeName, ServerOptions>> = {
  // A one-second headers timeout, so a slowloris client is cut quickly.
  node22: { headersTimeout: 1000 },
  node24: { headersTimeout: 1000 },
  // Ten seconds: shorter idle timeouts reset busy keep-alive connections under load.
  bun: { idleTimeout: 10 },
};

/** The conformance app on `runtime`, with `extra` options on top (Node's fastGlobals, say). */
export async function startReliabilityServer(
  runtime: RuntimeName,
  extra: ServerOptions = {},
): Promise<ReliabilityServer> {
  const server = await startServer(runtime, { app: "conformance", options: { ...timeouts[runtime], ...extra } });
  return {
    url: server.url,
    pid: server.process.pid!,
    stderr: server.stderr,
    stop: server.stop,
    exited: server.exited,
    signal: (name) => server.process.kill(name),
  };
}
