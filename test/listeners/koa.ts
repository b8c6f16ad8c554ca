// Koa's callback as a listener. Koa needs node:v8, which workerd's nodejs_compat lacks: the worker leaves it out.
import Koa from "koa";

/** The Koa app, whose `callback()` is the listener. */
export function koaApp(): Koa {
  const app = new Koa();
  app.use(async (ctx, next) => {
    ctx.set("x-koa", "yes");
    await next();
  });
  app.use(async (ctx) => {
    if (ctx.path === "/boom") ctx.throw(422, "koa refused");
    ctx.cookies.set("k1", "v1", { signed: false });
    ctx.cookies.set("k2", "v2", { signed: false });
    ctx.body = { path: ctx.path, query: ctx.query, method: ctx.method };
  });
  return app;
}
