// tsgi on Node in fastGlobals mode: the bench application through adapters/node.ts, with tsgi's
// lightweight Request, Response and Headers in the globals.
import { serve } from "../../adapters/node.ts";
import { createBenchApp } from "../scenarios.ts";

const server = await serve(createBenchApp(), { port: 0, hostname: "127.0.0.1", fastGlobals: true });
console.log(JSON.stringify({ url: server.url }));
