// The conformance app under the CLI's own signal handling (runServer).
import { serve } from "../../adapters/deno.ts";
import { runServer } from "../../src/cli-run.ts";
import { conformanceApp } from "../conformance/app.ts";
import { reportToStderr } from "./announce.ts";

await runServer(conformanceApp, (app, options) => serve(app, { ...options, maxBodySize: 8 * 1024 * 1024, onError: reportToStderr }), {
  port: 0,
  hostname: "127.0.0.1",
  announce: (server) => console.log(JSON.stringify({ url: server.url })),
});
