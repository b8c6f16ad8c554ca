// bench/static.ts on Node: sirv (production mode: it lists the files once at start) on node:http, with
// ETags on as serveStatic sends them.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import sirv from "sirv";

const files = sirv(process.env.TSGI_BENCH_STATIC_ROOT ?? ".", { etag: true });
const server = createServer((req, res) => files(req, res, () => void res.writeHead(404).end("Not Found")));
server.listen(0, "127.0.0.1", () => {
  console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` }));
});
