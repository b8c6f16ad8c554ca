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

export async function startReliabilityServer(runtime: RuntimeName): Promise<ReliabilityServer> {
  const server = await startServer(runtime, { app: "conformance", options: timeouts[runtime] });
  return {
    url: server.url,
    pid: server.process.pid!,
    stderr: server.stderr,
    stop: server.stop,
    exited: server.exited,
    signal: (name) => server.process.kill(name),
  };
}
