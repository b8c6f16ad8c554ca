import { execFileSync } from "node:child_process";
import { expect, it } from "vitest";
import { conformance } from "./conformance/suite.ts";
import { targets } from "./conformance/targets.ts";
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
