// srvx on Node, the application answering with srvx's own FastResponse, as its docs suggest for speed.
import { FastResponse, serve } from "srvx/node";
import { createBenchApp } from "../scenarios.ts";

const server = serve({ fetch: createBenchApp(() => FastResponse), port: 0, hostname: "127.0.0.1", silent: true });
await server.ready();
console.log(JSON.stringify({ url: server.url }));
