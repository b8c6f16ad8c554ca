// bench/static.ts on Node: serve-static (Express's static middleware, from express's dependencies) on node:http.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import serveStatic from "serve-static";

const files = serveStatic(process.env.TSGI_BENCH_STATIC_ROOT ?? ".");
const server = createServer((req, res) => files(req, res, () => res.writeHead(404).end("Not Found")));
server.listen(0, "127.0.0.1", () => {
  console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` }));
});
