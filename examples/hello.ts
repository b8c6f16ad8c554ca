// The example application: a plain tsgi handler. `npm start` serves it; `tsgi build` deploys it anywhere.
import type { Context, Env } from "../src/types.ts";

export default function hello(request: Request, _env: Env, ctx: Context): Response {
  const { pathname } = new URL(request.url);
  if (pathname === "/json") return Response.json({ hello: "world", runtime: ctx.runtime });
  return new Response(`Hello from tsgi on ${ctx.runtime}!\n`, {
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}
