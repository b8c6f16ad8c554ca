// srvx on Node, the application answering with the global Response.
import { serve } from "srvx/node";
import { createBenchApp } from "../scenarios.ts";

const server = serve({ fetch: createBenchApp(), port: 0, hostname: "127.0.0.1", silent: true });
await server.ready();
console.log(JSON.stringify({ url: server.url }));
