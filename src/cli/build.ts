import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import process from "node:process";
import { gzipSync } from "node:zlib";
import type { BuildOptions, Message } from "esbuild";
import { parseCommand } from "./args.ts";
import { nodeBuiltinsForWorkerd } from "./build-builtins.ts";
import { CliError, EXIT_OK, messageOf, UsageError } from "./errors.ts";
import { resolveEntry, tsgiModule } from "./load.ts";

const HELP = `Usage:
  tsgi build <entry> --target <targets> [options]

Bundles <entry> with esbuild, once per target, with the target's adapter wrapped around its
default export. Each output is ready to run or deploy as it is:

  node         <outdir>/node/index.mjs        node index.mjs   (listens on $PORT or 3000, $HOST or 0.0.0.0)
  deno         <outdir>/deno/index.mjs        deno run -A index.mjs
  bun          <outdir>/bun/index.mjs         bun index.mjs
  cloudflare   <outdir>/cloudflare/index.mjs  a module worker, with a wrangler.json: wrangler deploy
  aws-lambda   <outdir>/aws-lambda/index.mjs  ESM exporting handler, for Lambda's Node.js runtime (index.handler)

Options:
  --target <t>[,<t>...]  node, deno, bun, cloudflare or aws-lambda; several by comma or repeated
  --outdir <dir>         Where the outputs go (default: dist)
  --minify               Minify the outputs
  --streaming            aws-lambda: export the response-streaming handler (streamifyResponse)
  -h, --help             Show this help

Examples:
  tsgi build app.ts --target node
  tsgi build app.ts --target cloudflare,aws-lambda --minify --outdir out
  tsgi build app.ts --target aws-lambda --streaming

Exit codes: 0 built, 1 failed (entry not found, no default export, a bundling error), 2 bad command line.
`;

/** The platforms `tsgi build` bundles for. */
export const TARGETS = ["node", "deno", "bun", "cloudflare", "aws-lambda"] as const;

/** One of `TARGETS`. */
export type Target = (typeof TARGETS)[number];

const OPTIONS = {
  target: { type: "string", multiple: true },
  outdir: { type: "string" },
  minify: { type: "boolean" },
  streaming: { type: "boolean" },
} as const;

/** esbuild's settings per target: who resolves which package condition, and what stays outside the bundle. */
const ESBUILD: Record<Target, BuildOptions> = {
  node: { platform: "node", target: "node22", conditions: ["node"], external: ["bufferutil", "utf-8-validate"] },
  deno: {
    platform: "node",
    target: "esnext",
    conditions: ["deno"],
    external: ["npm:*", "jsr:*", "bufferutil", "utf-8-validate"],
  },
  bun: {
    platform: "node",
    target: "esnext",
    conditions: ["bun"],
    external: ["bun", "bun:*", "bufferutil", "utf-8-validate"],
  },
  cloudflare: {
    platform: "browser",
    target: "es2022",
    conditions: ["workerd", "worker"],
    external: ["node:*", "cloudflare:*"],
    plugins: [nodeBuiltinsForWorkerd],
  },
  "aws-lambda": { platform: "node", target: "node22", conditions: ["node"] },
};

// ESM bundles of CommonJS packages call require(); give them Node's, as Node, Deno and Bun all have it.
const REQUIRE_BANNER =
  'import { createRequire as __tsgiCreateRequire } from "node:module"; const require = __tsgiCreateRequire(import.meta.url);';

/**
 * The module the bundle starts from: the application with the target's adapter around it.
 *
 * @example
 * virtualEntry("cloudflare", "/abs/app.ts", false); // import app ...; export default toWorker(app);
 */
export function virtualEntry(target: Target, entry: string, streaming: boolean): string {
  const app = `import app from ${JSON.stringify(entry)};\n`;
  const adapter = (name: string): string => {
    const path = tsgiModule(`adapters/${name}`);
    if (!existsSync(path)) throw new CliError(`this installation of tsgi has no ${name} adapter`);
    return JSON.stringify(path);
  };
  switch (target) {
    case "cloudflare":
      return `${app}import { toWorker } from ${adapter("cloudflare")};\nexport default toWorker(app);\n`;
    case "aws-lambda": {
      const wrap = streaming ? "toStreamingLambdaHandler" : "toLambdaHandler";
      return `${app}import { ${wrap} } from ${adapter("aws-lambda")};\nexport const handler = ${wrap}(app);\n`;
    }
    default:
      return `${app}import { serve } from ${adapter(target)};\nimport { startBuiltServer } from ${JSON.stringify(tsgiModule("src/cli/process"))};\nawait startBuiltServer(app, serve, ${JSON.stringify(target)});\n`;
  }
}

/**
 * The `--target` values as a list of known targets, or a `UsageError`.
 *
 * @example
 * parseTargets(["node,deno", "aws-lambda"]); // ["node", "deno", "aws-lambda"]
 */
export function parseTargets(values: string[] | undefined): Target[] {
  const names = (values ?? [])
    .flatMap((value) => value.split(","))
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0) throw new UsageError(`missing --target (one or more of ${TARGETS.join(", ")})`, "build");
  for (const name of names) {
    if (!(TARGETS as readonly string[]).includes(name))
      throw new UsageError(`unknown target '${name}' (expected ${TARGETS.join(", ")})`, "build");
  }
  return [...new Set(names as Target[])];
}

function formatMessage(message: Message): string {
  const where = message.location
    ? `${relative(process.cwd(), message.location.file) || message.location.file}:${message.location.line}:${message.location.column}: `
    : "";
  return `${where}${message.text}`;
}

/** An esbuild failure as the user's mistake: no default export, or what esbuild could not resolve. */
function buildError(target: Target, entry: string, error: unknown): CliError {
  const messages = (error as { errors?: Message[] }).errors;
  if (!messages?.length) return new CliError(`building for ${target} failed: ${String(error)}`);
  if (messages.some((message) => /No matching export .* for import "default"/.test(message.text))) {
    return new CliError(
      `${entry} has no default export; export default your application (a handler or an object with fetch)`,
    );
  }
  const more = messages.length > 1 ? ` (and ${messages.length - 1} more)` : "";
  return new CliError(`cannot build ${entry} for ${target}: ${formatMessage(messages[0])}${more}`);
}

/** A Worker name from the entry's file name, as wrangler accepts it. */
function workerName(entryPath: string): string {
  return (
    basename(entryPath, extname(entryPath))
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/^-+|-+$/g, "") || "worker"
  );
}

/** One output on disk and what it weighs. */
export interface BuiltOutput {
  target: Target;
  path: string;
  bytes: number;
  gzipBytes: number;
}

/**
 * Bundles the entry for each target; what `tsgi build` does after parsing its arguments.
 *
 * @example
 * const outputs = await build("app.ts", ["node", "cloudflare"], { outdir: "dist" });
 */
export async function build(
  entry: string,
  targets: Target[],
  options: { outdir: string; minify?: boolean; streaming?: boolean },
): Promise<BuiltOutput[]> {
  const entryPath = resolveEntry(entry);
  let esbuild: typeof import("esbuild");
  try {
    esbuild = await import("esbuild");
  } catch (error) {
    // esbuild is a dependency of tsgi; only a broken installation lacks it.
    throw new CliError(`esbuild, which tsgi build bundles with, failed to load: ${messageOf(error)}`);
  }
  return Promise.all(
    targets.map(async (target): Promise<BuiltOutput> => {
      const outfile = resolve(options.outdir, target, "index.mjs");
      const settings = ESBUILD[target];
      try {
        const result = await esbuild.build({
          ...settings,
          stdin: {
            contents: virtualEntry(target, entryPath, options.streaming === true),
            resolveDir: dirname(entryPath),
            sourcefile: `tsgi-${target}-entry.ts`,
            loader: "ts",
          },
          outfile,
          bundle: true,
          format: "esm",
          minify: options.minify === true,
          banner: settings.platform === "node" ? { js: REQUIRE_BANNER } : undefined,
          metafile: true,
          logLevel: "silent",
          allowOverwrite: true,
        });
        if (target === "cloudflare") {
          const imports = Object.values(result.metafile.outputs).flatMap((output) =>
            output.imports.map((imported) => imported.path),
          );
          const flags = imports.some((path) => path.startsWith("node:")) ? ["nodejs_compat"] : [];
          const config = {
            name: workerName(entryPath),
            main: "index.mjs",
            compatibility_date: "2025-11-01",
            compatibility_flags: flags,
          };
          writeFileSync(join(dirname(outfile), "wrangler.json"), `${JSON.stringify(config, null, 2)}\n`);
        }
      } catch (error) {
        if (error instanceof CliError) throw error;
        throw buildError(target, entry, error);
      }
      const contents = readFileSync(outfile);
      return { target, path: outfile, bytes: contents.byteLength, gzipBytes: gzipSync(contents).byteLength };
    }),
  );
}

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

/**
 * `tsgi build`: bundles the entry for each `--target` and prints each output's path and size, raw and gzipped.
 *
 * @example
 * process.exitCode = await buildCommand(["app.ts", "--target", "node,cloudflare"]);
 */
export async function buildCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(args, OPTIONS, "build");
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT_OK;
  }
  const [entry, ...extra] = positionals;
  if (entry === undefined) throw new UsageError("missing <entry>: tsgi build <entry> --target <targets>", "build");
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}' (tsgi build takes one entry)`, "build");
  const targets = parseTargets(values.target as string[] | undefined);
  if (values.streaming && !targets.includes("aws-lambda"))
    throw new UsageError("--streaming applies only to --target aws-lambda", "build");
  const outputs = await build(entry, targets, {
    outdir: (values.outdir as string | undefined) ?? "dist",
    minify: values.minify === true,
    streaming: values.streaming === true,
  });
  const shown = (path: string): string =>
    relative(process.cwd(), path).startsWith("..") ? path : relative(process.cwd(), path);
  const rows = outputs.map((output) => [shown(output.path), size(output.bytes), size(output.gzipBytes)]);
  const width = Math.max(...rows.map(([path]) => path.length));
  for (const [path, raw, gzip] of rows)
    process.stdout.write(`  ${path.padEnd(width)}  ${raw.padStart(9)}  (gzip ${gzip})\n`);
  return EXIT_OK;
}
