import { conformance } from "./conformance/suite.ts";
import { startServer } from "./runtimes.ts";

for (const runtime of ["node22", "node24"] as const) {
  conformance({ name: runtime, runtime: "node", start: () => startServer(runtime, "test/servers/node.ts") });
}
