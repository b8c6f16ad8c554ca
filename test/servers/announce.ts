// Shared by the server scripts: print the URL for the test, and close gracefully on SIGTERM.
import type { Server } from "../../src/types.ts";

interface ProcessLike {
  on(signal: string, listener: () => void): void;
  exit(code: number): never;
}

export function announce(server: Server): void {
  console.log(JSON.stringify({ url: server.url }));
  const process = (globalThis as unknown as { process: ProcessLike }).process;
  process.on("SIGTERM", () => {
    void server.close().then(() => process.exit(0));
  });
}

/** How the conformance servers report application errors: one line on stderr the test can look for. */
export function reportToStderr(error: unknown): void {
  console.error(`reported: ${error instanceof Error ? error.message : String(error)}`);
}
