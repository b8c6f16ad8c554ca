// How `tsgi serve` ends the children it runs (--watch): a second signal ends a child that did not stop at
// once, on every runtime. Deno's node:child_process sends no signal after its first, so a watcher that
// outlived the first could never be ended (the rare hang of `tsgi serve --watch` on Deno).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { root, scriptCommand } from "./cli-process.ts";

const dir = mkdtempSync(join(tmpdir(), "tsgi-children-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// runChild over a shell that ignores SIGINT and SIGTERM, as a watcher deaf to the first signal would be.
const runner = join(dir, "runner.ts");
writeFileSync(
  runner,
  `import { runChild } from ${JSON.stringify(`${root}src/cli/children.ts`)};
const code = await runChild(["sh", "-c", "trap '' INT TERM; echo ready; exec sleep 30"]);
process.exit(code);
`,
);

describe("runChild", () => {
  for (const runtime of ["node24", "deno", "bun"] as const) {
    it(`ends a child deaf to the first signal on the second, on ${runtime}`, async () => {
      const [file, ...args] = [...scriptCommand(runtime), runner];
      const child = spawn(file, args, { stdio: ["ignore", "pipe", "inherit"] });
      try {
        await new Promise<void>((resolve) =>
          child.stdout.on("data", (chunk) => String(chunk).includes("ready") && resolve()),
        );
        const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
        const pause = () => new Promise((resolve) => setTimeout(resolve, 300));
        // Sent the moment the child printed, a signal sometimes ended Bun's runner itself, as if runChild's
        // handlers were not yet in place: a pause first, which a user's Ctrl-C always has.
        await pause();
        child.kill("SIGTERM");
        await pause();
        expect([child.exitCode, child.signalCode], "still running after the first signal").toEqual([null, null]);
        child.kill("SIGTERM");
        const outcome = await Promise.race([
          exited,
          new Promise((resolve) => setTimeout(resolve, 5000, "still running")),
        ]);
        expect(outcome).toBe(0);
      } finally {
        child.kill("SIGKILL");
      }
    }, 20_000);
  }
});
