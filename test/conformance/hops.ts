// The hop-by-hop cases (SPEC.md §4.3-e), shared by the suite's HTTP/1.1 wire checks and test/tls.test.ts's
// HTTP/2 ones: an upstream that sends such headers, and what the application and the upstream answer.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** The upstream's paths for the proxy case, with the body each must arrive with. */
export const upstreamReplies: [path: string, body: string][] = [
  ["chunked", "chunk one, chunk two"],
  ["sized", "sized reply"],
];

/** The ways the conformance app sets hop-by-hop headers (`/hop?how=`), the body each answers, and whether it sets X-Kept too. */
export const appHops: [how: string, body: string, kept: boolean][] = [
  ["built", "built", true],
  ["changed", "changed", true],
  ["pair", "pair", true],
  ["lone", "lone", false],
  ["json", '{"hop":true}', true],
  ["async", "async", true],
  ["streamed", "streamed", true],
];

/** An upstream for the proxy case, answering with the hop-by-hop headers a server must not pass on. */
export async function startHopUpstream(): Promise<{ url: string; close(): void }> {
  const upstream = createServer((req, res) => {
    const hops = {
      connection: "keep-alive, x-hop",
      "keep-alive": "timeout=5",
      "x-hop": "secret",
      "proxy-connection": "keep-alive",
      "content-type": "text/plain",
    };
    if (req.url === "/sized") return void res.writeHead(200, { ...hops, "content-length": "11" }).end("sized reply");
    res.writeHead(200, { ...hops, trailer: "x-trailer" });
    res.write("chunk one,");
    setTimeout(() => res.end(" chunk two"), 20);
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/`, close: () => upstream.close() };
}
