import { existsSync, readFileSync } from "node:fs";
import process from "node:process";
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { CliError, EXIT_OK, EXIT_USAGE, messageOf, UsageError } from "./cli-errors.ts";

const HELP = `tsgi: serve a TypeScript application on any runtime, build it for any platform

Usage:
  tsgi <command> [options]

Commands:
  serve <entry>          Serve the entry's default export on this runtime (node, deno or bun)
  build <entry>          Bundle it for node, deno, bun, cloudflare or aws-lambda with esbuild

Options:
  -h, --help             Show this help; tsgi <command> --help shows a command's
  -v, --version          Print the version

Examples:
  npx tsgi serve app.ts --port 8080
  bunx tsgi serve app.ts
  deno run -A npm:tsgi serve app.ts
  npx tsgi build app.ts --target cloudflare,aws-lambda --minify

Exit codes: 0 done, 1 failed (entry not found or not an application, port in use,
build error), 2 bad command line (unknown command or option, bad value).
`;

/** A command's parsed options and positionals. */
export interface ParsedCommand {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/**
 * `parseArgs` in strict mode, its errors turned into one-line usage errors naming the command.
 *
 * @example
 * const { values, positionals } = parseCommand(["app.ts", "--port", "8080"], { port: { type: "string" } }, "serve");
 */
export function parseCommand(args: string[], options: ParseArgsOptionsConfig, command: string): ParsedCommand {
  try {
    return parseArgs({
      args,
      options: { help: { type: "boolean", short: "h" }, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const option = /'(-[^' ]*)/.exec(messageOf(error))?.[1];
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION")
      throw new UsageError(`unknown option '${option}' for tsgi ${command}`, command);
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE")
      throw new UsageError(`option '${option}' needs a value`, command);
    throw new UsageError(messageOf(error), command);
  }
}

function version(): string {
  // ../ from src/cli.ts in the sources, ../../ from dist/src/cli.js in the published package.
  for (const path of ["../package.json", "../../package.json"]) {
    const url = new URL(path, import.meta.url);
    if (existsSync(url)) return (JSON.parse(readFileSync(url, "utf8")) as { version: string }).version;
  }
  return "unknown";
}

async function run(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case "serve":
      return (await import("./cli-serve.ts")).serveCommand(rest);
    case "build":
      return (await import("./cli-build.ts")).buildCommand(rest);
    case "help":
      if (rest[0] === "serve" || rest[0] === "build") return run([rest[0], "--help"]);
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
      throw new UsageError(`unknown command '${command}' (expected serve or build)`);
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
