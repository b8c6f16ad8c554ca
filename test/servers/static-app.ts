// The app of the static-file tests on real servers: the files under $TSGI_STATIC_ROOT at /, the same under
// the /mounted prefix with Cache-Control, and an application behind both that says what reached it.
import { mount } from "../../src/mount.ts";
import type { Handler } from "../../src/types.ts";

/** What the application behind serveStatic answers: every request that no file answered. */
export const behind: Handler = (request) =>
  new Response(`app: ${request.method} ${new URL(request.url).pathname}\n`, {
    status: 404,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });

let handler: Promise<Handler> | undefined;

async function build(root: string): Promise<Handler> {
  // Imported on first use: workerd, which bundles apps.ts too, has no node:fs (see lazyNodeBuiltins in runtimes.ts).
  const { serveStatic } = await import("../../middleware/static.ts");
  return mount({
    "/mounted": serveStatic({ root, cacheControl: "public, max-age=60" })(behind),
    "/": serveStatic({ root })(behind),
  });
}

export const staticApp: Handler = async (request, env, ctx) => {
  handler ??= build(String(env.TSGI_STATIC_ROOT));
  return (await handler)(request, env, ctx);
};
