// tsgi on Deno: the bench application through adapters/deno.ts.
import { serve } from "../../adapters/deno.ts";
import { createBenchApp } from "../scenarios.ts";

const server = await serve(createBenchApp(), { port: 0, hostname: "127.0.0.1" });
console.log(JSON.stringify({ url: server.url }));
