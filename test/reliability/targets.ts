// How the reliability suite starts a server on each runtime.
import { startServer, type RuntimeName } from "../runtimes.ts";
import type { ReliabilityServer } from "./suite.ts";

export async function startReliabilityServer(runtime: RuntimeName, script: string): Promise<ReliabilityServer> {
  const server = await startServer(runtime, script);
  return {
    url: server.url,
    pid: server.process.pid!,
    stderr: server.stderr,
    stop: server.stop,
    exited: server.exited,
    signal: (name) => server.process.kill(name),
  };
}
