import { TsgiError } from "../errors.ts";

/** Exit codes of the `tsgi` command (documented in `tsgi --help` and docs/cli.md). */
export const EXIT_OK = 0;
/** It could not do it: entry not found or not an application, port in use, build failed. */
export const EXIT_FAILURE = 1;
/** The command line is wrong: unknown command or option, bad value, no entry given. */
export const EXIT_USAGE = 2;

/**
 * An error the user made or met, shown as one line (`tsgi: error: ...`) and never as a stack trace.
 *
 * @example
 * throw new CliError("entry not found: app.ts");
 */
export class CliError extends TsgiError {
  readonly exitCode: number;
  /** The command whose `--help` the hint names (`"serve"`), or undefined for `tsgi --help`. */
  readonly command: string | undefined;
  constructor(message: string, exitCode: number = EXIT_FAILURE, command?: string) {
    super(exitCode === EXIT_USAGE ? "TSGI_CLI_USAGE" : "TSGI_CLI_FAILED", message);
    this.exitCode = exitCode;
    this.command = command;
  }
}

/**
 * A mistake on the command line: exit code 2 and a `--help` hint.
 *
 * @example
 * throw new UsageError("missing <entry>", "serve");
 */
export class UsageError extends CliError {
  constructor(message: string, command?: string) {
    super(message, EXIT_USAGE, command);
  }
}

/**
 * The first line of the message of anything thrown, without its stack.
 *
 * @example
 * process.stderr.write(`tsgi: error: ${messageOf(error)}\n`);
 */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message.split("\n")[0];
  return String(error);
}
