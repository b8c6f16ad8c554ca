// The adapters a test server serves through, loaded on demand: each needs its own runtime. Adding a runtime
// is one entry here and its command line in test/runtimes.ts.
import type { App, Server, ServeOptions } from "../../src/types.ts";
import { isKey, type ServerOptions } from "./args.ts";

type Serve = (app: App, options: ServeOptions & ServerOptions) => Promise<Server>;

const adapters = {
  node: async () => (await import("../../adapters/node.ts")).serve,
  deno: async () => (await import("../../adapters/deno.ts")).serve,
  bun: async () => (await import("../../adapters/bun.ts")).serve,
  // tsgi/serve, which must pick the runtime's adapter by itself.
  serve: async () => (await import("../../adapters/serve.ts")).serve,
} satisfies Record<string, () => Promise<Serve>>;

export type AdapterName = keyof typeof adapters;

/** The `serve` of the adapter `name`. */
export function loadAdapter(name: string): Promise<Serve> {
  if (!isKey(adapters, name))
    throw new Error(`test server: no adapter "${name}"; adapters.ts has ${Object.keys(adapters).join(", ")}`);
  return adapters[name]();
}
