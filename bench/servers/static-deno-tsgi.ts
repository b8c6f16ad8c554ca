// bench/static.ts on Deno: serveStatic over $TSGI_BENCH_STATIC_ROOT through adapters/deno.ts.
import process from "node:process";
import { serve } from "../../adapters/deno.ts";
import { serveStatic } from "../../middleware/static.ts";

const notFound = () => new Response("Not Found", { status: 404 });
const app = serveStatic({ root: process.env.TSGI_BENCH_STATIC_ROOT ?? "." })(notFound);
const server = await serve(app, { port: 0, hostname: "127.0.0.1" });
console.log(JSON.stringify({ url: server.url }));
