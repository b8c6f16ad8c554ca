// tsgi on Bun: the bench application through adapters/bun.ts.
import { serve } from "../../adapters/bun.ts";
import { createBenchApp } from "../scenarios.ts";

const server = await serve(createBenchApp(), { port: 0, hostname: "127.0.0.1" });
console.log(JSON.stringify({ url: server.url }));
