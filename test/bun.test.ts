import { spawnSync } from "node:child_process";
import { expect, it } from "vitest";
import { conformance } from "./conformance/suite.ts";
import { targets } from "./conformance/targets.ts";
import { runtimeCommand, startServer } from "./runtimes.ts";

conformance(targets.bun);

// Bun.serve's own idle timeout (10 s, checked every 4 s: the cut comes at 12 s) would cut a response that
// pauses longer; the adapter lifts it.
it("bun: keeps a streamed response that pauses 14 s", async () => {
  const server = await startServer("bun", { app: "conformance" });
  try {
    const response = await fetch(new URL("/stream?chunks=1&size=16&delay=14000", server.url));
    expect((await response.arrayBuffer()).byteLength).toBe(16);
  } finally {
    await server.stop();
  }
}, 25_000);

it("bun test runs the unit tests of src/ (bunfig.toml's test root)", () => {
  // bun test reports on stderr.
  const run = spawnSync(runtimeCommand("bun")[0], ["test"], {
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: "1" },
  });
  expect(run.status).toBe(0);
  expect(run.stderr).toMatch(/\b[1-9]\d* pass\n\s*0 fail/);
}, 60_000);
