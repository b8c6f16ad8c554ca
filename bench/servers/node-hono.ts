// @hono/node-server as its users run it: by default it replaces the global Request and Response.
import { serve } from "@hono/node-server";
import { createBenchApp } from "../scenarios.ts";

const app = createBenchApp(() => globalThis.Response);
serve({ fetch: app, port: 0, hostname: "127.0.0.1" }, (info) => {
  console.log(JSON.stringify({ url: `http://127.0.0.1:${info.port}/` }));
});
