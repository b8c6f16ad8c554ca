// Compile-time check (run by `tsc` in `npm test`): framework apps and module workers are tsgi
// applications as they are, with no wrapper (CONTRACT.md §1).
import { Hono } from "hono";
import { AutoRouter } from "itty-router";
import { H3 } from "h3";
import type { App, Context, FetchApp, Handler, Middleware } from "../../src/types.ts";

const hono = new Hono();
hono.get("/", (c) => c.text("hono"));
const itty = AutoRouter();
itty.get("/", () => "itty");
const h3 = new H3().get("/", () => "h3");
const worker = {
  fetch(request: Request, _env: { KV?: unknown }, ctx: { waitUntil(promise: Promise<unknown>): void }): Response {
    ctx.waitUntil(Promise.resolve());
    return new Response(request.url);
  },
};
const handler: Handler = (request, env, ctx: Context) => new Response(`${request.url} ${typeof env} ${ctx.runtime}`);
const identity: Middleware = (next) => next;

export const apps: App[] = [hono, itty, h3, worker, handler, identity(handler)];
export const fetchApp: FetchApp = hono;
