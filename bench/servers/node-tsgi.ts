// tsgi on Node: the bench application through adapters/node.ts, globals untouched.
import { serve } from "../../adapters/node.ts";
import { createBenchApp } from "../scenarios.ts";

const server = await serve(createBenchApp(), { port: 0, hostname: "127.0.0.1" });
console.log(JSON.stringify({ url: server.url }));
