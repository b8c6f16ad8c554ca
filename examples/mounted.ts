// Three applications side by side under one server, the way Rack::URLMap and WSGI mounting do it:
// a Hono app under /api, an itty-router app under /legacy, the plain hello handler everywhere else.
import { AutoRouter } from "itty-router";
import { mount, mountPrefix } from "../src/mount.ts";
import hello from "./hello.ts";
import hono from "./hono.ts";

const legacy = AutoRouter();
legacy.get("/items/:id", ({ params }) => ({ item: params.id }));
legacy.get("/moved", (request) => Response.redirect(new URL(`${mountPrefix(request)}/items/1`, request.url), 301));

export default mount({ "/api": hono, "/legacy": legacy, "/": hello });
