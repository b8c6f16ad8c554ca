import { existsSync, readFileSync } from "node:fs";
import process from "node:process";
import { CliError, EXIT_OK, EXIT_USAGE, UsageError } from "./errors.ts";

const HELP = `tsgi: serve a TypeScript application on any runtime, build it for any platform

Usage:
  tsgi <command> [options]

Commands:
  serve <entry>          Serve the entry's default export on this runtime (node, deno or bun)
  build <entry>          Bundle it for node, deno, bun, cloudflare or aws-lambda with esbuild
  fetch <entry> [path]   Call it with one request, in-process, and print the response

Options:
  -h, --help             Show this help; tsgi <command> --help shows a command's
  -v, --version          Print the version

Examples:
  npx tsgi serve app.ts --port 8080
  bunx tsgi serve app.ts
  deno run -A npm:tsgi serve app.ts
  npx tsgi build app.ts --target cloudflare,aws-lambda --minify
  npx tsgi fetch app.ts /health -i

Exit codes: 0 done, 1 failed (entry not found or not an application, port in use,
build error, a fetch answered outside 2xx and 3xx), 2 bad command line (unknown command or option, bad value).
`;

function version(): string {
  // ../../ from src/cli/main.ts in the sources, ../../../ from dist/src/cli/main.js in the published package.
  for (const path of ["../../package.json", "../../../package.json"]) {
    const url = new URL(path, import.meta.url);
    if (existsSync(url)) return (JSON.parse(readFileSync(url, "utf8")) as { version: string }).version;
  }
  return "unknown";
}

async function run(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case "serve":
      return (await import("./serve.ts")).serveCommand(rest);
    case "build":
      return (await import("./build.ts")).buildCommand(rest);
    case "fetch":
      return (await import("./fetch.ts")).fetchCommand(rest);
    case "help":
      if (rest[0] === "serve" || rest[0] === "build" || rest[0] === "fetch") return run([rest[0], "--help"]);
      process.stdout.write(HELP);
      return EXIT_OK;
    case "-h":
    case "--help":
      process.stdout.write(HELP);
      return EXIT_OK;
    case "-v":
    case "--version":
      process.stdout.write(`tsgi ${version()}\n`);
      return EXIT_OK;
    case undefined:
      process.stderr.write(HELP);
      return EXIT_USAGE;
    default:
      if (command.startsWith("-")) throw new UsageError(`unknown option '${command}'`);
      throw new UsageError(`unknown command '${command}' (expected serve, build or fetch)`);
  }
}

/**
 * The `tsgi` command: runs it and sets the exit code. A `CliError` becomes one line on stderr with a
 * `--help` hint; anything else is a bug in tsgi and keeps its stack.
 *
 * @example
 * await main(["serve", "app.ts", "--port", "8080"]);
 */
export async function main(args: string[] = process.argv.slice(2)): Promise<void> {
  try {
    process.exitCode = await run(args);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    const hint = error.exitCode === EXIT_USAGE ? ` (see: tsgi ${error.command ? `${error.command} ` : ""}--help)` : "";
    process.stderr.write(`tsgi: error: ${error.message}${hint}\n`);
    process.exitCode = error.exitCode;
  }
}
