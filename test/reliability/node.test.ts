import { reliability } from "./suite.ts";
import { startReliabilityServer } from "./targets.ts";

reliability({ name: "node24", start: () => startReliabilityServer("node24") });
reliability({ name: "node24, fastGlobals", start: () => startReliabilityServer("node24", { fastGlobals: true }) });
