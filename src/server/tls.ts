// TLS options checked once for every adapter, and the runtimes' own certificate errors said in one line.
import { InvalidOptionError } from "../errors.ts";
import type { TlsOptions } from "../types.ts";

const CERT = /-----BEGIN CERTIFICATE-----/;
const KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

function pemText(value: unknown, name: string, pattern: RegExp, label: string): string {
  if (typeof value !== "string" || !pattern.test(value)) {
    // A path fits on the line; file contents with no PEM block in them do not.
    const given =
      typeof value !== "string"
        ? typeof value
        : /^[^\n]{1,200}$/.test(value)
          ? `'${value}'`
          : `${value.length} characters with no such block`;
    throw new InvalidOptionError(
      `tsgi: tls.${name} must be PEM text (-----BEGIN ${label}-----), the file's contents rather than its path; got ${given}`,
    );
  }
  return value;
}

/**
 * `options.tls` checked: undefined for plain HTTP, else the certificate and key as PEM text.
 *
 * @example
 * const tls = checkTls({ cert: readFileSync("cert.pem", "utf8"), key: readFileSync("key.pem", "utf8") });
 */
export function checkTls(tls: unknown): TlsOptions | undefined {
  if (tls === undefined) return undefined;
  if (typeof tls !== "object" || tls === null) throw new InvalidOptionError("tsgi: tls must be { cert, key }");
  const { cert, key, passphrase } = tls as Record<string, unknown>;
  if (passphrase !== undefined && typeof passphrase !== "string")
    throw new InvalidOptionError("tsgi: tls.passphrase must be a string");
  return {
    cert: pemText(cert, "cert", CERT, "CERTIFICATE"),
    key: pemText(key, "key", KEY, "PRIVATE KEY"),
    ...(passphrase === undefined ? {} : { passphrase }),
  };
}

/**
 * What a runtime threw as it started: a certificate or key it could not use becomes one plain line (Node
 * and Bun speak OpenSSL's codes, Deno rustls's words); anything else (a port in use) is returned as it is.
 *
 * @example
 * try { createSecureServer(tls); } catch (error) { throw tlsFailure(error); }
 */
export function tlsFailure(error: unknown): unknown {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  const text = `${String(code ?? "")} ${error instanceof Error ? error.message : String(error)}`;
  const tls =
    /^ERR_OSSL/.test(String(code)) || name === "InvalidData" || /KeyMismatch|certificate|private key/i.test(text);
  if (!tls) return error;
  const why = /KEY_VALUES_MISMATCH|KeyMismatch/i.test(text)
    ? "the key does not belong to the certificate"
    : /BAD_DECRYPT|No keys found/i.test(text)
      ? "the key cannot be read: encrypted with another passphrase, or none was given"
      : text.trim().split("\n")[0];
  return new InvalidOptionError(`tsgi: tls: cannot use the certificate and key: ${why}`);
}
