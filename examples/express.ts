// An Express app mounted beside a Hono app, one tsgi application on every runtime: `tsgi serve
// examples/express.ts`, or `tsgi build examples/express.ts --target node,deno,bun,cloudflare,aws-lambda`.
// The Express app gets Node's own req and res (fromNodeListener); the Hono app gets the fetch Request.
import express from "express";
import { fromNodeListener } from "../adapters/node.ts";
import { mount } from "../src/mount.ts";
import hono from "./hono.ts";

const legacy = express();
legacy.use(express.json());
legacy.get("/items/:id", (req, res) => {
  res.json({ item: req.params.id, from: "express" });
});
legacy.post("/items", (req, res) => {
  res.status(201).json({ created: req.body });
});
legacy.get("/moved", (_req, res) => {
  // Under the mount, req.url is the path below "/legacy": a relative redirect stays inside it.
  res.redirect(301, "items/1");
});

export default mount({ "/legacy": fromNodeListener(legacy), "/": hono });
