import { execFileSync } from "node:child_process";
import { expect, it } from "vitest";
import { conformance } from "./conformance/suite.ts";
import { targets } from "./conformance/targets.ts";
import { fileURLToPath } from "node:url";
import { runtimeCommand } from "./runtimes.ts";

// Deno.serve (Deno 2) under the project's deno.json, which opts into `no-legacy-abort` (see docs/deno.md).
conformance(targets.deno);

it("deno test runs the unit tests of src/ (deno.json's test.include)", () => {
  const output = execFileSync(runtimeCommand("deno")[0], ["test", "-A", "--no-lock"], {
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: "1" },
  });
  expect(output).toMatch(/ok \| [1-9]\d* passed \| 0 failed/);
}, 60_000);

// The adapter's hop-by-hop check reads Deno's own header list (adapters/deno-headers.ts) and falls back to
// response.headers where that list is not there; this says the fast path is live on the Deno under test.
it("deno: the adapter reads a Response's header list as Deno keeps it", () => {
  const reader = fileURLToPath(new URL("../adapters/deno-headers.ts", import.meta.url));
  const script = `import { headerListReader } from "${reader}";
const list = headerListReader()(new Response("x", { headers: { "Keep-Alive": "timeout=5" } }));
console.log(JSON.stringify(list ?? null));`;
  const output = execFileSync(runtimeCommand("deno")[0], ["eval", script], { encoding: "utf8", timeout: 30_000 });
  expect(JSON.parse(output)).toContainEqual(["Keep-Alive", "timeout=5"]);
}, 30_000);
