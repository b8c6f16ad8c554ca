// The conformance suite on workerd itself: the conformance app's worker (test/servers/worker.ts) bundled by
// esbuild as wrangler would and served on loopback by Miniflare, which runs the real workerd binary.
// What workerd cannot pass, and why, is in test/conformance/targets.ts.
import { conformance } from "./conformance/suite.ts";
import { targets } from "./conformance/targets.ts";

conformance(targets.workerd);
