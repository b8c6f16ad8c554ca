// A 1 GiB file (sparse: no disk used) served by serveStatic to a client that reads slower than the disk:
// the server's resident memory stays flat on every runtime, so the body streams with backpressure.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, type RuntimeName, startServer } from "./runtimes.ts";
import { GiB, type StaticFixture, staticFixture } from "./static/fixture.ts";

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A process's resident set in MiB, from /proc (Linux). */
function rss(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(line?.[1] ?? 0) / 1024;
}

let fixture: StaticFixture;
beforeAll(() => {
  fixture = staticFixture({ huge: true });
});
afterAll(() => fixture?.remove());

for (const runtime of ["node24", "deno", "bun"] satisfies RuntimeName[]) {
  describe.skipIf(process.platform !== "linux")(`serveStatic memory on ${runtime} (reads /proc)`, () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer(runtime, { app: "static" }, { TSGI_STATIC_ROOT: fixture.root });
    });
    afterAll(() => server?.stop());

    it("sends a 1 GiB file to a slow reader with flat memory", { timeout: 90_000 }, async () => {
      const pid = server.process.pid!;
      // Warm up the path (JIT, pools) on a 16 MiB range, then take the baseline.
      const warm = await fetch(new URL("/huge.bin", server.url), { headers: { range: `bytes=0-${16 * MiB - 1}` } });
      expect((await warm.arrayBuffer()).byteLength).toBe(16 * MiB);
      const baseline = rss(pid);
      const response = await fetch(new URL("/huge.bin", server.url));
      expect(response.headers.get("content-length")).toBe(String(GiB));
      const reader = response.body!.getReader();
      let received = 0;
      let peak = baseline;
      let sinceNap = 0;
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        received += chunk.value.byteLength;
        sinceNap += chunk.value.byteLength;
        // Slower than the disk: a pause every 8 MiB, so a server without backpressure would pile up the file.
        if (sinceNap >= 8 * MiB) {
          sinceNap = 0;
          peak = Math.max(peak, rss(pid));
          await sleep(4);
        }
      }
      console.log(`${runtime}: RSS ${baseline.toFixed(0)} MiB before, peak ${peak.toFixed(0)} MiB while sending 1 GiB`);
      expect(received).toBe(GiB);
      expect(peak - baseline, `RSS ${baseline.toFixed(0)} → ${peak.toFixed(0)} MiB`).toBeLessThan(96);
    });
  });
}
