// An Express hello for bench/node-listener.ts: `node-express.ts raw` on node:http itself, `node-express.ts tsgi`
// through serve(fromNodeListener(app)), `direct` with fromNodeListener's direct option. Prints {"url": …} once it listens.
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

const mode = process.argv[2];
if (mode === "tsgi" || mode === "direct") {
  const server = await serve(fromNodeListener(app, { direct: mode === "direct" }), { port: 0, hostname: "127.0.0.1" });
  console.log(JSON.stringify({ url: server.url }));
} else {
  const server = createServer(app).listen(0, "127.0.0.1", () => {
    console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` }));
  });
}
