// bench/static.ts on Node, the ceiling of any fetch-style static server: adapters/node.ts answering with the
// files' bytes read into memory at start, no file system work per request.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { serve } from "../../adapters/node.ts";

const root = process.env.TSGI_BENCH_STATIC_ROOT ?? ".";
const files = new Map(readdirSync(root).map((name) => [`/${name}`, new Uint8Array(readFileSync(join(root, name)))]));
const app = (request: Request): Response => {
  const bytes = files.get(new URL(request.url).pathname);
  if (bytes === undefined) return new Response("Not Found", { status: 404 });
  return new Response(bytes, { headers: { "content-type": "application/octet-stream" } });
};
const server = await serve(app, { port: 0, hostname: "127.0.0.1" });
console.log(JSON.stringify({ url: server.url }));
