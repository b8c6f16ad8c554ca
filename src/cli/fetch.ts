// `tsgi fetch`: one request to the application in this process, no server, the answer on stdout (curl's flags).
import { STATUS_CODES } from "node:http";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { isToken } from "../http-token.ts";
import { processEnv } from "../server/env.ts";
import type { App, Env } from "../types.ts";
import { parseCommand } from "./args.ts";
import { CliError, EXIT_FAILURE, EXIT_OK, UsageError, messageOf } from "./errors.ts";
import { loadApp, tsgiModule } from "./load.ts";

const HELP = `Usage:
  tsgi fetch <entry> [path] [options]

Calls the default export of <entry> with one request, in this process and with no server, and
prints the response body. The path defaults to /; the request's URL is http://localhost<path>.

Options:
  -X, --request <method>   The method (default: GET, or POST with --data)
  -H, --header <line>      A request header, 'name: value'; repeat for more
  -d, --data <body>        The request body
  -i, --include            Print the status line and the headers first
  -h, --help               Show this help

Examples:
  tsgi fetch app.ts
  tsgi fetch app.ts /items?page=2 -i
  tsgi fetch app.ts /items -X PUT -H 'content-type: application/json' -d '{"name":"tea"}'

Exit codes: 0 for a 2xx or 3xx response, 1 for any other response or a failure (entry not found or
not an application), 2 bad command line.
`;

const OPTIONS = {
  request: { type: "string", short: "X" },
  header: { type: "string", short: "H", multiple: true },
  data: { type: "string", short: "d" },
  include: { type: "boolean", short: "i" },
} as const;

/** What `tsgi fetch` sends, checked. */
export interface FetchSettings {
  entry: string;
  url: string;
  init: RequestInit;
  include: boolean;
}

function header(line: string): [string, string] {
  const colon = line.indexOf(":");
  const name = line.slice(0, colon).trim();
  if (colon < 1 || !isToken(name)) throw new UsageError(`-H needs 'name: value', got '${line}'`, "fetch");
  return [name, line.slice(colon + 1).trim()];
}

/**
 * The `tsgi fetch` command line as a request to make, or a `UsageError`; undefined after `--help`.
 *
 * @example
 * const settings = fetchSettings(["app.ts", "/items", "-X", "POST", "-d", "{}"]);
 */
export function fetchSettings(args: string[]): FetchSettings | undefined {
  const { values, positionals } = parseCommand(args, OPTIONS, "fetch");
  if (values.help) return undefined;
  const [entry, path = "/", ...extra] = positionals;
  if (entry === undefined) throw new UsageError("missing <entry>: tsgi fetch <entry> [path]", "fetch");
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}' (tsgi fetch takes one path)`, "fetch");
  if (!path.startsWith("/")) throw new UsageError(`the path must start with '/', got '${path}'`, "fetch");
  const body = values.data as string | undefined;
  const method = ((values.request as string | undefined) ?? (body === undefined ? "GET" : "POST")).toUpperCase();
  if (!/^[!#$%&'*+.^_`|~0-9A-Z-]+$/.test(method)) throw new UsageError(`-X needs a method, got '${method}'`, "fetch");
  if (body !== undefined && (method === "GET" || method === "HEAD"))
    throw new UsageError(`a ${method} request cannot have a body (-d); give -X POST or another method`, "fetch");
  const headers = ((values.header as string[] | undefined) ?? []).map(header);
  const url = `http://localhost${path}`;
  try {
    new URL(url);
  } catch {
    throw new UsageError(`'${path}' is not a path a URL can hold`, "fetch");
  }
  return { entry, url, init: { method, headers, body }, include: values.include === true };
}

interface TestClient {
  fetch(input: string, init: RequestInit): Promise<Response & { errors: unknown[]; ctx: { settled(): Promise<void> } }>;
}
type CreateTestClient = (app: App, options: { env: Env }) => TestClient;

/** The head as it would go on the wire: the status line, then each field (each Set-Cookie apart). */
function head(response: Response): string {
  const reason = response.statusText || STATUS_CODES[response.status] || "";
  const lines = [`HTTP/1.1 ${response.status} ${reason}`.trimEnd()];
  for (const [name, value] of response.headers) lines.push(`${name}: ${value}`);
  return `${lines.join("\r\n")}\r\n\r\n`;
}

// The error of a stdout whose reader has gone (`| head`), kept so the writes stop rather than crash the command.
let stdoutFailed: Error | undefined;
const onStdoutError = (error: Error): void => {
  stdoutFailed = error;
};

function write(bytes: Uint8Array | string): Promise<void> {
  if (stdoutFailed) return Promise.reject(stdoutFailed);
  return new Promise((resolve, reject) => {
    try {
      process.stdout.write(bytes, (error) => (error ? reject(error) : resolve()));
    } catch (error) {
      reject(error);
    }
  });
}

/**
 * `tsgi fetch`: loads the entry, calls it with the request the command line describes through tsgi's
 * in-process client (`ctx.runtime` is `"test"`), prints the answer and waits for its `waitUntil` work.
 *
 * @example
 * process.exitCode = await fetchCommand(["app.ts", "/health", "-i"]);
 */
export async function fetchCommand(args: string[]): Promise<number> {
  const settings = fetchSettings(args);
  if (settings === undefined) {
    await write(HELP);
    return EXIT_OK;
  }
  const app = await loadApp(settings.entry);
  const testing = (await import(pathToFileURL(tsgiModule("adapters/testing")).href)) as {
    createTestClient: CreateTestClient;
  };
  const client = testing.createTestClient(app, { env: processEnv() });
  const response = await client.fetch(settings.url, settings.init);
  process.stdout.on("error", onStdoutError);
  try {
    if (settings.include) await write(head(response));
    if (response.body !== null && settings.init.method !== "HEAD") {
      for await (const chunk of response.body) await write(chunk);
    }
  } catch (error) {
    // A reader that stopped early (`| head`) is not a failure of the command; anything else is.
    if ((error as { code?: string }).code !== "EPIPE")
      throw new CliError(`cannot write the response: ${messageOf(error)}`);
    await response.body?.cancel().catch(() => {});
  }
  await response.ctx.settled();
  for (const error of response.errors) process.stderr.write(`tsgi: application error: ${describeError(error)}\n`);
  return response.status >= 200 && response.status < 400 ? EXIT_OK : EXIT_FAILURE;
}

// The application's own errors keep their stack: they are for its author to find.
function describeError(error: unknown): string {
  return error instanceof Error && error.stack ? error.stack : messageOf(error);
}
