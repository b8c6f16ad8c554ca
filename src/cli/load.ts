import { existsSync, statSync, unlinkSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isApp } from "../app.ts";
import { describe } from "../errors.ts";
import { serverRuntime } from "../server/runtime.ts";
import { CliError, messageOf } from "./errors.ts";
import type { App } from "../types.ts";

/**
 * The absolute path of a tsgi module such as `adapters/node`: its `.ts` source where it sits next to
 * this one (the repository, the published `src`), else its compiled `.js`.
 *
 * @example
 * const adapter = tsgiModule("adapters/node");
 */
export function tsgiModule(name: string): string {
  const source = fileURLToPath(new URL(`../../${name}.ts`, import.meta.url));
  return existsSync(source) ? source : fileURLToPath(new URL(`../../${name}.js`, import.meta.url));
}

/**
 * The entry's absolute path, or a `CliError` when there is no file there.
 *
 * @example
 * const path = resolveEntry("app.ts");
 */
export function resolveEntry(entry: string): string {
  const path = resolve(process.cwd(), entry);
  if (!existsSync(path)) throw new CliError(`entry not found: ${entry}`);
  if (!statSync(path).isFile()) throw new CliError(`entry is not a file: ${entry}`);
  return path;
}

/** Node strips types itself from 22.18 and 23.6; `process.features.typescript` says so. */
function nodeStripsTypes(): boolean {
  const features = process.features as { typescript?: string | false };
  return Boolean(features.typescript);
}

/** What a Node too old to strip types (or a .tsx entry) runs: the entry transpiled by esbuild beside it. */
async function transpiled(path: string): Promise<string> {
  let esbuild: typeof import("esbuild");
  try {
    esbuild = await import("esbuild");
  } catch (error) {
    // esbuild is a dependency of tsgi; only a broken installation lacks it.
    throw new CliError(
      `this Node.js ${process.versions.node} cannot run TypeScript itself, and esbuild failed to load: ${messageOf(error)}`,
    );
  }
  // Beside the entry, so its relative and package imports resolve as they would from the source.
  const outfile = join(dirname(path), `.${basename(path)}.tsgi-${process.pid}.mjs`);
  await esbuild.build({
    entryPoints: [path],
    outfile,
    bundle: true,
    packages: "external",
    format: "esm",
    platform: "node",
    logLevel: "silent",
  });
  return outfile;
}

/**
 * Imports the entry module and returns its default export, checked to be an application (SPEC.md §3.1).
 * A TypeScript entry runs as it is on Deno, Bun and Node 22.18+; older Node gets it through esbuild.
 *
 * @example
 * const app = await loadApp("examples/hello.ts");
 */
export async function loadApp(entry: string): Promise<App> {
  const path = resolveEntry(entry);
  const typescript = /\.[cm]?tsx?$/.test(path);
  const needsTranspile = serverRuntime() === "node" && typescript && (path.endsWith(".tsx") || !nodeStripsTypes());
  const file = needsTranspile ? await transpiled(path) : path;
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    throw new CliError(`${entry} failed to load: ${messageOf(error)}`);
  } finally {
    if (file !== path) unlinkSync(file);
  }
  if (!("default" in module) || module.default === undefined) {
    throw new CliError(
      `${entry} has no default export; export default your application (a handler or an object with fetch)`,
    );
  }
  if (!isApp(module.default)) {
    throw new CliError(
      `the default export of ${entry} is not an application: expected a function or an object with fetch, got ${describe(module.default)}`,
    );
  }
  return module.default;
}
