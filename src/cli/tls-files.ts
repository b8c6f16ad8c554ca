// The certificate and key of `tsgi serve --tls-cert/--tls-key` and of a built server's TLS_CERT/TLS_KEY:
// files read as PEM text, with one line for a file that is missing or unreadable.
import { readFileSync } from "node:fs";
import process from "node:process";
import type { TlsOptions } from "../types.ts";
import { CliError, messageOf, UsageError } from "./errors.ts";

function readPem(file: string, given: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${given} ${file}: ${messageOf(error)}`);
  }
}

/**
 * The certificate and key from their files; undefined when neither is given, a usage error when one is.
 *
 * @example
 * const tls = readTlsFiles("cert.pem", "key.pem", ["--tls-cert", "--tls-key"]);
 */
export function readTlsFiles(
  cert: string | undefined,
  key: string | undefined,
  [certName, keyName]: [string, string],
): TlsOptions | undefined {
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined)
    throw new UsageError(`${certName} and ${keyName} go together: give both files or neither`, "serve");
  return { cert: readPem(cert, certName), key: readPem(key, keyName) };
}

/**
 * TLS for a built server script: the files named by `TLS_CERT` and `TLS_KEY`, if set.
 *
 * @example
 * const tls = tlsFromEnv(); // TLS_CERT=cert.pem TLS_KEY=key.pem node server.mjs
 */
export function tlsFromEnv(env: Record<string, string | undefined> = process.env): TlsOptions | undefined {
  return readTlsFiles(env.TLS_CERT || undefined, env.TLS_KEY || undefined, ["TLS_CERT", "TLS_KEY"]);
}
