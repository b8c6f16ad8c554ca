import { serverRuntime } from "../src/server/runtime.ts";
import type { App, Env, Server, ServeOptions } from "../src/types.ts";

// Only `serve` is exported: package.json's runtime conditions may resolve `tsgi/serve` straight to the
// Deno, Bun or Node adapter, whose common export it is.

/**
 * Serves the application on the runtime this code runs on: `Deno.serve` on Deno, `Bun.serve` on Bun,
 * node:http on Node. Only that runtime's adapter is loaded, so Node's modules never reach Deno or Bun.
 *
 * @example
 * import { serve } from "tsgi/serve";
 * const server = await serve(app, { port: 3000 });
 * console.log(`listening on ${server.url}`);
 */
export async function serve<E = Env>(app: App<E>, options: ServeOptions<E> = {}): Promise<Server> {
  switch (serverRuntime()) {
    case "deno":
      return (await import("./deno.ts")).serve(app, options);
    case "bun":
      return (await import("./bun.ts")).serve(app, options);
    case "node":
      return (await import("./node.ts")).serve(app, options);
  }
}
