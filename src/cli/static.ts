// `tsgi serve --static DIR`: the files under DIR answer first, the entry's application everything else.
import { statSync } from "node:fs";
import { toHandler } from "../app.ts";
import type { App } from "../types.ts";
import { CliError } from "./errors.ts";

/**
 * A `CliError` unless `dir` is a directory, checked before any server or worker starts.
 *
 * @example
 * checkStaticDir("public");
 */
export function checkStaticDir(dir: string): void {
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new CliError(`--static: not a directory: ${dir}`);
}

/**
 * `app` behind serveStatic over `dir` (checked by `checkStaticDir` already); the middleware is loaded only when
 * `--static` is given.
 *
 * @example
 * const app = await withStaticFiles(await loadApp("app.ts"), "public");
 */
export async function withStaticFiles(app: App, dir: string): Promise<App> {
  const { serveStatic } = await import("../../middleware/static.ts");
  return serveStatic({ root: dir })(toHandler(app));
}
