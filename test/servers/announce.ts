// Shared by the server scripts: serve on a free port under the CLI's own signal handling (runServer: SIGTERM
// closes gracefully and exits 0, a second one exits at once) and print the URL line test/runtimes.ts reads.
import { runServer } from "../../src/cli/process.ts";
import type { App, Server, ServeOptions } from "../../src/types.ts";

export async function serveForTest<O extends ServeOptions>(
  app: App,
  serve: (app: App, options: O) => Promise<Server>,
  options: Omit<O, "port" | "hostname">,
): Promise<void> {
  await runServer(app, (given, listen) => serve(given, { ...options, ...listen } as O), {
    port: 0,
    hostname: "127.0.0.1",
    announce: (server) => console.log(JSON.stringify({ url: server.url })),
  });
}

/** How the conformance servers report application errors: one line on stderr the test can look for. */
export function reportToStderr(error: unknown): void {
  console.error(`reported: ${error instanceof Error ? error.message : String(error)}`);
}
