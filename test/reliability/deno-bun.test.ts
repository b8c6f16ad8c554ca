import { reliability } from "./suite.ts";
import { startReliabilityServer } from "./targets.ts";

reliability({
  name: "deno",
  start: () => startReliabilityServer("deno"),
  cannot: {
    slowloris:
      "Deno.serve has no header-read timeout: a client trickling its headers is held open (seen for over 45 s); put a proxy with header timeouts in front",
    "upload-signal":
      "Deno does not abort request.signal when a client breaks off an upload; the application's body read fails instead",
  },
});
reliability({ name: "bun", start: () => startReliabilityServer("bun") });
