// bench/static.ts on Node: serveStatic over $TSGI_BENCH_STATIC_ROOT through adapters/node.ts.
import { serve } from "../../adapters/node.ts";
import { serveStatic } from "../../middleware/static.ts";

const notFound = () => new Response("Not Found", { status: 404 });
const app = serveStatic({ root: process.env.TSGI_BENCH_STATIC_ROOT ?? "." })(notFound);
const server = await serve(app, { port: 0, hostname: "127.0.0.1" });
console.log(JSON.stringify({ url: server.url }));
