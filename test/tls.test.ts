// HTTPS and HTTP/2 (CONTRACT.md §9): the conformance suite over TLS on node24, deno and bun, and over
// HTTP/2 where the runtime offers it through ALPN (node, deno); then what only TLS has.
import { conformance } from "./conformance/suite.ts";
import { targets } from "./conformance/targets.ts";

conformance(targets.node24Https);
conformance(targets.node24H2);
conformance(targets.denoHttps);
conformance(targets.denoH2);
conformance(targets.bunHttps);
