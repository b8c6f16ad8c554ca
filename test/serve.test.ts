// One server through tsgi/serve on three runtimes: it must hand each to its own adapter.
import { describe, expect, it } from "vitest";
import { startServer, type RuntimeName } from "./runtimes.ts";

const runtimes: [RuntimeName, string, string[]][] = [
  ["node24", "node", ["req", "res"]],
  ["deno", "deno", ["info"]],
  ["bun", "bun", ["server"]],
];

describe("tsgi/serve picks the adapter of the runtime it runs on", () => {
  for (const [name, runtime, platform] of runtimes) {
    it(`on ${name}`, async () => {
      // trustProxy on: the test sends X-Forwarded-For to see each adapter pass the option on.
      const server = await startServer(name, { app: "conformance", adapter: "serve", options: { trustProxy: true } });
      try {
        const seen = await (await fetch(new URL("/ctx", server.url))).json();
        expect(seen).toMatchObject({ runtime, platform, instanceofRequest: true });
        expect(seen.remoteAddress).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
        const forwarded = await (
          await fetch(new URL("/ctx", server.url), { headers: { "x-forwarded-for": "203.0.113.9, 10.0.0.1" } })
        ).json();
        expect(forwarded.remoteAddress).toBe("203.0.113.9");
        expect(
          (await fetch(new URL("/count", server.url), { method: "POST", body: new Uint8Array(9 * 1024 * 1024) }))
            .status,
        ).toBe(413);
      } finally {
        expect(await server.stop()).toBe(0);
      }
    });
  }
});
