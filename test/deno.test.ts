import { execFileSync } from "node:child_process";
import { expect, it } from "vitest";
import { conformance } from "./conformance/suite.ts";
import { targets } from "./conformance/targets.ts";
import { fileURLToPath } from "node:url";
import { waitFor } from "./conformance/wire.ts";
import { runtimeCommand, startServer } from "./runtimes.ts";

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

// The adapter reads what Deno keeps of a Response (adapters/deno-response.ts) and falls back to the getters
// where Deno keeps it another way; this says the fast paths are live on the Deno under test.
it("deno: the adapter reads a Response's header list and unread body as Deno keeps them", () => {
  const reader = fileURLToPath(new URL("../adapters/deno-response.ts", import.meta.url));
  const script = `import { bodyUsedReader, headerListReader } from "${reader}";
const list = headerListReader()?.(new Response("x", { headers: { "Keep-Alive": "timeout=5" } }));
const used = bodyUsedReader();
const fresh = new Response("fresh");
const unread = used(fresh);
const lazy = Object.getOwnPropertySymbols(fresh).find((symbol) => symbol.description === "lazy static body");
const kept = lazy !== undefined && typeof Reflect.get(fresh, lazy) === "string";
const read = new Response("read");
await read.text();
console.log(JSON.stringify({ list: list ?? null, unread, kept, read: used(read) }));`;
  const output = execFileSync(runtimeCommand("deno")[0], ["eval", script], { encoding: "utf8", timeout: 30_000 });
  const seen = JSON.parse(output);
  expect(seen.list).toContainEqual(["Keep-Alive", "timeout=5"]);
  expect(seen).toMatchObject({ unread: false, kept: true, read: true });
}, 30_000);

// Deno frees a request's headers once its response is sent unless they were read before; the adapter's Host
// check reads them, so waitUntil work can still read them (Bun's cannot). A faster Host check must keep this.
it("deno: the request's headers stay readable after the response, for waitUntil work", async () => {
  const server = await startServer("deno", { app: "conformance" });
  try {
    const id = `late-${Math.random()}`;
    const seen = async () => (await (await fetch(new URL(`/late-seen?id=${id}`, server.url))).json()) as string | null;
    const response = await fetch(new URL(`/late-headers?id=${id}`, server.url), {
      headers: { "x-late": "still here" },
    });
    expect(await response.text()).toBe("accepted");
    await waitFor(async () => (await seen()) !== null);
    expect(await seen()).toBe("still here");
  } finally {
    await server.stop();
  }
}, 30_000);
