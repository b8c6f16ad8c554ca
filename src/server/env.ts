import type { Env } from "../types.ts";

interface ProcessLike {
  env: Record<string, string | undefined>;
}

/** The process environment as a string record, where the runtime has one (Node, Bun, Deno with --allow-env). */
export function processEnv(): Env {
  const process = (globalThis as { process?: ProcessLike }).process;
  return process?.env ?? {};
}
