// The certificate and key of `tsgi serve --tls-cert/--tls-key` and of a built server's TLS_CERT/TLS_KEY:
// files read as PEM text, with one line for a file that is missing or unreadable.
import { readFileSync } from "node:fs";
import process from "node:process";
import type { TlsOptions } from "../types.ts";
import { CliError, messageOf } from "./errors.ts";

function readPem(file: string, given: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${given} ${file}: ${messageOf(error)}`);
  }
}

/**
 * The certificate and key read from their files; `names` say how the user gave them, for the error line.
 *
 * @example
 * const tls = readTlsFiles({ cert: "cert.pem", key: "key.pem" }, ["--tls-cert", "--tls-key"]);
 */
export function readTlsFiles(files: { cert: string; key: string }, [certName, keyName]: [string, string]): TlsOptions {
  return { cert: readPem(files.cert, certName), key: readPem(files.key, keyName) };
}

/**
 * TLS for a built server script: the files named by `TLS_CERT` and `TLS_KEY`, if set; one without the
 * other is an error.
 *
 * @example
 * const tls = tlsFromEnv(); // TLS_CERT=cert.pem TLS_KEY=key.pem node server.mjs
 */
export function tlsFromEnv(env: Record<string, string | undefined> = process.env): TlsOptions | undefined {
  const { TLS_CERT: cert, TLS_KEY: key } = env;
  if (!cert && !key) return undefined;
  if (!cert || !key) throw new CliError("TLS_CERT and TLS_KEY go together: set both files or neither");
  return readTlsFiles({ cert, key }, ["TLS_CERT", "TLS_KEY"]);
}
