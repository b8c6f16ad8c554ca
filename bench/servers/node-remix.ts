// @remix-run/node-fetch-server's listener on node:http.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequestListener } from "@remix-run/node-fetch-server";
import { createBenchApp } from "../scenarios.ts";

const server = createServer(createRequestListener(createBenchApp()));
server.listen(0, "127.0.0.1", () => {
  console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` }));
});
