// An Express hello for bench/node-listener.ts: `node-express.ts raw` on node:http itself, `node-express.ts tsgi`
// through serve(fromNodeListener(app)). Prints {"url": …} once it listens.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { fromNodeListener, serve } from "../../adapters/node.ts";

const app = express();
app.get("/", (_req, res) => {
  res.send("Hello from Express!\n");
});
// The process's CPU time so far, µs, for the bench to difference around a round.
app.get("/cpu", (_req, res) => {
  const { user, system } = process.cpuUsage();
  res.send(String(user + system));
});

if (process.argv[2] === "tsgi") {
  const server = await serve(fromNodeListener(app), { port: 0, hostname: "127.0.0.1" });
  console.log(JSON.stringify({ url: server.url }));
} else {
  const server = createServer(app).listen(0, "127.0.0.1", () => {
    console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` }));
  });
}
