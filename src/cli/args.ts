// The command line's arguments: strict parsing with one-line errors, and the settings of `tsgi serve`.
import { availableParallelism } from "node:os";
import process from "node:process";
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { isPort } from "../server/options.ts";
import { messageOf, UsageError } from "./errors.ts";

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

const OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  "env-file": { type: "string" },
  watch: { type: "boolean" },
  workers: { type: "string" },
  "fast-globals": { type: "boolean" },
  "tls-cert": { type: "string" },
  "tls-key": { type: "string" },
  static: { type: "string" },
} as const;

/** The options of one `tsgi serve`, checked. */
export interface ServeSettings {
  entry: string;
  port: number;
  hostname: string;
  workers: number;
  watch: boolean;
  envFile: string | undefined;
  /** Node only: tsgi's Request, Response and Headers in the globals (see docs/performance.md). */
  fastGlobals: boolean;
  /** The certificate and key files of `--tls-cert` and `--tls-key`, given both or neither. */
  tlsFiles: { cert: string; key: string } | undefined;
  /** `--static DIR`: files under DIR answer before the application. */
  staticDir: string | undefined;
}

function parsePort(value: string): number {
  const port = value.trim() === "" ? Number.NaN : Number(value);
  if (!isPort(port)) throw new UsageError(`--port must be a number from 0 to 65535, got '${value}'`, "serve");
  return port;
}

function parseWorkers(value: string | undefined): number {
  if (value === undefined) return 1;
  if (value === "auto") return availableParallelism();
  const workers = Number(value);
  if (!Number.isInteger(workers) || workers < 1)
    throw new UsageError(`--workers must be a whole number from 1 or 'auto', got '${value}'`, "serve");
  return workers;
}

function tlsFiles(cert: string | undefined, key: string | undefined): ServeSettings["tlsFiles"] {
  if (cert === undefined && key === undefined) return undefined;
  if (!cert || !key) throw new UsageError("--tls-cert and --tls-key go together: give both files", "serve");
  return { cert, key };
}

/**
 * The `tsgi serve` command line as settings, or a `UsageError`; undefined after `--help`.
 *
 * @example
 * const settings = serveSettings(["app.ts", "--port", "8080"]); // { entry: "app.ts", port: 8080, ... }
 */
export function serveSettings(args: string[]): ServeSettings | undefined {
  const { values, positionals } = parseCommand(args, OPTIONS, "serve");
  if (values.help) return undefined;
  const [entry, ...extra] = positionals;
  if (entry === undefined) throw new UsageError("missing <entry>: tsgi serve <entry>", "serve");
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}' (tsgi serve takes one entry)`, "serve");
  const host = values.host as string | undefined;
  if (host === "") throw new UsageError("--host must not be empty", "serve");
  if (values.static === "") throw new UsageError("--static must not be empty", "serve");
  return {
    entry,
    port: parsePort((values.port as string | undefined) ?? process.env.PORT ?? "3000"),
    hostname: host ?? "127.0.0.1",
    workers: parseWorkers(values.workers as string | undefined),
    watch: values.watch === true,
    envFile: values["env-file"] as string | undefined,
    fastGlobals: values["fast-globals"] === true,
    tlsFiles: tlsFiles(values["tls-cert"] as string | undefined, values["tls-key"] as string | undefined),
    staticDir: values.static as string | undefined,
  };
}
