// The runtimes the conformance suite runs on, with what each cannot pass and why: the runtime test files
// run these targets, and test/matrix.test.ts checks the table in docs/runtimes.md against them.
import { startServer, startWorker, type RuntimeName } from "../runtimes.ts";
import type { ConformanceTarget } from "./suite.ts";
import { transport } from "./transport.ts";

type SecureTargetName = "node24Https" | "node24H2" | "denoHttps" | "denoH2" | "bunHttps";

function target(
  name: RuntimeName,
  runtime: ConformanceTarget["runtime"],
  cannot: ConformanceTarget["cannot"] = {},
): ConformanceTarget {
  return { name, runtime, cannot, start: () => startServer(name, { app: "conformance" }) };
}

/** The same runtime serving HTTPS, reached over HTTP/1.1 or HTTP/2 (ALPN) with the test CA. */
function secure(name: RuntimeName, runtime: ConformanceTarget["runtime"], over: "https" | "h2"): ConformanceTarget {
  const start = () => startServer(name, { app: "conformance", tls: true });
  return { name: `${name} ${over}`, runtime, transport: transport(over), cannot: over === "h2" ? h2Cannot : {}, start };
}

// What an HTTP/1.1 case cannot say over HTTP/2; the https targets run them over TLS.
const h2Cannot: ConformanceTarget["cannot"] = {
  "raw-wire":
    "reads HTTP/1.1 bytes off a raw socket; HTTP/2 frames have no header lines (the https column runs it over TLS, test/tls.test.ts checks hop-by-hop headers over HTTP/2)",
  "connection-close": "HTTP/2 has no Connection header (RFC 9113 §8.2.2): a connection ends with GOAWAY",
  "unread-body-keep-alive":
    "an HTTP/1.1 keep-alive case: an HTTP/2 stream ends on its own, and the suite's later requests share the session",
};

const denoLateSignal =
  "Deno makes request.signal on its first read, and one made after the client left never aborts (Deno 2.9, with or without no-legacy-abort): an application that wants to hear of it reads the signal while the request is in flight";

export const targets: Record<RuntimeName | "workerd" | SecureTargetName, ConformanceTarget> = {
  node22: target("node22", "node"),
  node24: target("node24", "node"),
  deno: target("deno", "deno", { "abort-read-late": denoLateSignal }),
  bun: target("bun", "bun"),
  // TLS only where it costs little CI time: the newest Node, Deno, Bun; HTTP/2 where the runtime offers it.
  node24Https: secure("node24", "node", "https"),
  node24H2: secure("node24", "node", "h2"),
  denoHttps: { ...secure("deno", "deno", "https"), cannot: { "abort-read-late": denoLateSignal } },
  denoH2: {
    ...secure("deno", "deno", "h2"),
    cannot: {
      ...h2Cannot,
      "abort-read-late": denoLateSignal,
      "graceful-close":
        "Deno.serve's shutdown() resets the HTTP/2 streams in flight (RST_STREAM CANCEL) instead of letting them finish, as it does over HTTP/1.1 (Deno 2.9)",
    },
  },
  bunHttps: secure("bun", "bun", "https"),
  workerd: {
    name: "workerd",
    runtime: "workerd",
    // Workers abort request.signal on a client's disconnect only with this flag (compatibility flags docs).
    start: () => startWorker({ app: "conformance" }, ["enable_request_signal"]),
    cannot: {
      "graceful-close": "workerd has no server for the application to close: the platform drains isolates itself",
      "connection-close":
        "workerd (behind Miniflare's entry worker, as behind Cloudflare's edge) keeps a client's connection open after Connection: close, whatever the response: the edge owns client connections",
      "body-limit-streamed":
        "the application gets the Worker's own Request unchanged, so toWorker checks only a declared Content-Length; the platform enforces its own limit on streamed bodies",
      "content-length":
        "Cloudflare's edge, and Miniflare's entry worker standing in for it, gzip text for a client that accepts it and send it chunked, without Content-Length",
      "response-error-cut":
        "workerd ends the chunked body cleanly (0-length chunk) when the Worker's response stream errors, and logs the error",
      "abort-before-response":
        "workerd does not notice a client that leaves before the response starts: request.signal stays unaborted",
      "abort-read-late":
        "workerd does not notice a client that leaves before the response starts: request.signal stays unaborted",
      "stream-cancel":
        "when the client leaves a streaming response, workerd aborts request.signal and stops the Worker's timers, but never calls the stream's cancel(), which this case observes",
      "body-limit-declared":
        "toWorker answers 413 without reading the body, and workerd then resets the connection, so a client still uploading may see the reset instead of the 413 (wrangler dev drains unread bodies to hide this; on Cloudflare the edge holds the client's connection)",
      "unread-body-keep-alive":
        "workerd resets the connection when the Worker left a request body of more than a few KiB unread, and a Worker cannot read its body after responding (wrangler dev drains unread bodies before responding)",
    },
  },
};
