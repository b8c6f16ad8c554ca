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

// The adapter reads what Deno keeps of a Response (adapters/deno-fields.ts) and falls back to the getters
// where Deno keeps it another way; this says the fast paths are live on the Deno under test.
it("deno: the adapter reads a Response's header list and unread body as Deno keeps them", () => {
  const reader = fileURLToPath(new URL("../adapters/deno-fields.ts", import.meta.url));
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

// The Host check reads one field of the request Deno.serve keeps, not request.headers (which builds them all);
// this says that path is live on the Deno under test and answers as the getter does.
it("deno: the adapter reads a served request's field without building its Headers", () => {
  const reader = fileURLToPath(new URL("../adapters/deno-fields.ts", import.meta.url));
  const script = `import { requestHeaderReader } from "${reader}";
const headerOf = requestHeaderReader();
const seen = [];
const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: async ({ port }) => {
  for (const i of [1, 2]) await (await fetch("http://127.0.0.1:" + port + "/", { headers: { "x-n": String(i) } })).text();
  await server.shutdown();
  console.log(JSON.stringify({ port, seen }));
} }, (request) => {
  const cache = Object.getOwnPropertySymbols(request).find((symbol) => symbol.description === "headers cache");
  const host = headerOf(request, "host");
  const missing = headerOf(request, "x-missing");
  seen.push({ host, missing, built: cache === undefined || Reflect.get(request, cache) !== undefined, n: request.headers.get("x-n") });
  return new Response("ok");
});`;
  const output = execFileSync(runtimeCommand("deno")[0], ["eval", script], { encoding: "utf8", timeout: 30_000 });
  const { port, seen } = JSON.parse(output);
  const host = `127.0.0.1:${port}`;
  // The first request checks the reader against the getter; from the second on, no Headers is built.
  expect(seen).toEqual([
    { host, missing: null, built: true, n: "1" },
    { host, missing: null, built: false, n: "2" },
  ]);
}, 30_000);

// Deno frees a request's headers once its response is sent unless they were read before: the adapter reads
// them when the application hands work to waitUntil, so that work can still read them (Bun's cannot).
it("deno: the request's headers stay readable after the response, for waitUntil work", async () => {
  const server = await startServer("deno", { app: "conformance" });
  try {
    // A first request, so that the late one is served as every request after the first is.
    await (await fetch(new URL("/hello", server.url))).text();
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
