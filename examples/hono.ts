// A Hono application, served by tsgi as it is: Hono's `fetch(request, env, executionCtx)` is the tsgi
// interface. `tsgi serve examples/hono.ts`, or mounted under a prefix in examples/mounted.ts.
import { Hono } from "hono";
import { mountPrefix } from "../src/mount.ts";

const app = new Hono();

app.get("/", (c) => c.text("Hello from Hono on tsgi!\n"));
app.get("/users/:id", (c) => c.json({ id: c.req.param("id"), path: c.req.path }));
app.post("/echo", async (c) =>
  c.body(await c.req.arrayBuffer(), 200, {
    "content-type": c.req.header("content-type") ?? "application/octet-stream",
  }),
);
// Links and redirects carry the prefix the app was mounted under: "/login" at the root, "/api/login" under "/api".
app.get("/account", (c) => c.redirect(`${mountPrefix(c.req.raw)}/login`, 303));
app.get("/login", (c) => c.html(`<a href="${mountPrefix(c.req.raw)}/account">account</a>\n`));

export default app;
