import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { toNodeListener } from "../../adapters/node.ts";
import { createBenchApp } from "../scenarios.ts";
const server = createServer(toNodeListener(createBenchApp(), { fastGlobals: true }));
server.listen(0, "127.0.0.1", () =>
  console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` })),
);
