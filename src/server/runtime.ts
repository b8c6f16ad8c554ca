import { UnsupportedRuntimeError } from "../errors.ts";

/** The runtimes that run a server: the ones `tsgi/serve` and `tsgi serve` serve on. */
export type ServerRuntime = "node" | "deno" | "bun";

/**
 * Which server runtime runs this code. Bun and Deno announce themselves with a global; both also define
 * `process` for Node compatibility, so they are asked first.
 *
 * @example
 * if (serverRuntime() === "node") console.log("on Node");
 */
export function serverRuntime(): ServerRuntime {
  const global = globalThis as typeof globalThis & { Bun?: unknown; Deno?: unknown };
  if (global.Bun !== undefined) return "bun";
  if (global.Deno !== undefined) return "deno";
  if (typeof global.process?.versions?.node === "string") return "node";
  throw new UnsupportedRuntimeError(
    "tsgi: unknown runtime; a server runs on Node.js, Deno and Bun (use tsgi/cloudflare or tsgi/aws-lambda there)",
  );
}
