// HTTPS and HTTP/2 (CONTRACT.md §9): the conformance suite over TLS on node24, deno and bun, and over
// HTTP/2 where the runtime offers it through ALPN (node, deno); then the hop-by-hop cases the suite reads
// off a raw HTTP/1.1 socket, said over HTTP/2. test/tls-serve.test.ts has the rest of TLS.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appHops, startHopUpstream, upstreamReplies } from "./conformance/hops.ts";
import { conformance } from "./conformance/suite.ts";
import { targets } from "./conformance/targets.ts";
import { transport } from "./conformance/transport.ts";
import { type RunningServer, startServer } from "./runtimes.ts";

conformance(targets.node24Https);
conformance(targets.node24H2);
conformance(targets.denoHttps);
conformance(targets.denoH2);
conformance(targets.bunHttps);

// HTTP/2 has no connection-specific fields at all (RFC 9113 §8.2.2): node:http2 throws on one, and a
// client treats one it receives as malformed. What fetch(upstream) brings must be gone before the wire.
const hops = /^(connection|keep-alive|x-hop|proxy-connection|te|trailer|upgrade|transfer-encoding)$/;

describe.each(["node24", "deno"] as const)("HTTP/2 on %s: hop-by-hop headers", (runtime) => {
  const h2 = transport("h2").fetch;
  let server: RunningServer;
  let upstream: Awaited<ReturnType<typeof startHopUpstream>>;
  beforeAll(async () => {
    upstream = await startHopUpstream();
    server = await startServer(runtime, { app: "conformance", tls: true });
  }, 30_000);
  afterAll(async () => {
    upstream?.close();
    await server?.stop();
  });

  it("sends a proxied response without the upstream's hop-by-hop headers [§4.3-e]", async () => {
    for (const [path, body] of upstreamReplies) {
      const response = await h2(new URL(`/proxy?to=${encodeURIComponent(upstream.url + path)}`, server.url));
      expect(response.status, path).toBe(200);
      expect(
        [...response.headers.keys()].filter((name) => hops.test(name)),
        path,
      ).toEqual([]);
      expect(await response.text(), path).toBe(body);
    }
  });

  it("sends a response the application gave hop-by-hop headers without them [§4.3-e]", async () => {
    for (const [how, body, kept] of appHops) {
      const response = await h2(new URL(`/hop?how=${how}`, server.url));
      expect(response.status, how).toBe(200);
      expect(response.headers.get("x-kept"), how).toBe(kept ? "1" : null);
      expect(
        [...response.headers.keys()].filter((name) => hops.test(name)),
        how,
      ).toEqual([]);
      expect(await response.text(), how).toBe(body);
    }
  });
});
