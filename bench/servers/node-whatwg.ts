// @whatwg-node/server's adapter on node:http.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createServerAdapter } from "@whatwg-node/server";
import { createBenchApp } from "../scenarios.ts";

const server = createServer(createServerAdapter(createBenchApp()));
server.listen(0, "127.0.0.1", () => {
  console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` }));
});
