import { logError } from "./call-app.ts";
import { InvalidOptionError } from "../errors.ts";
import { processEnv } from "./env.ts";
import { checkTls } from "./tls.ts";
import type { Env, ErrorReporter, ServeOptions, TlsOptions } from "../types.ts";

/** `ServeOptions` with every default filled in and every value checked (SPEC.md §4.1). */
export interface ResolvedOptions<E> {
  port: number;
  hostname: string;
  env: E;
  maxBodySize: number;
  trustProxy: boolean;
  onError: ErrorReporter;
  gracefulTimeout: number;
  reusePort: boolean;
  /** Undefined for plain HTTP. */
  tls: TlsOptions | undefined;
}

const MiB = 1024 * 1024;

/**
 * Fills in the defaults and throws `InvalidOptionError` for a value no adapter could use.
 *
 * @example
 * const { port, hostname } = resolveOptions({ port: 0 });
 */
export function resolveOptions<E = Env>(options: ServeOptions<E> = {}): ResolvedOptions<E> {
  if (typeof options !== "object" || options === null) throw new InvalidOptionError("tsgi: options must be an object");
  const { port = 3000, hostname = "127.0.0.1", maxBodySize = 100 * MiB, gracefulTimeout = 10_000 } = options;
  if (!isPort(port)) throw new InvalidOptionError(`tsgi: port must be an integer from 0 to 65535, got ${String(port)}`);
  if (typeof hostname !== "string" || hostname === "")
    throw new InvalidOptionError("tsgi: hostname must be a non-empty string");
  if (!(maxBodySize >= 0))
    throw new InvalidOptionError(`tsgi: maxBodySize must be a number of bytes, got ${String(maxBodySize)}`);
  if (!(gracefulTimeout >= 0))
    throw new InvalidOptionError(`tsgi: gracefulTimeout must be milliseconds, got ${String(gracefulTimeout)}`);
  if (options.onError !== undefined && typeof options.onError !== "function") {
    throw new InvalidOptionError("tsgi: onError must be a function");
  }
  return {
    port,
    hostname,
    env: options.env ?? (processEnv() as E),
    maxBodySize,
    trustProxy: options.trustProxy === true,
    onError: options.onError ?? logError,
    gracefulTimeout,
    reusePort: options.reusePort === true,
    tls: checkTls(options.tls),
  };
}

/** A TCP port number, or 0 for one the system picks. */
export function isPort(port: unknown): port is number {
  return Number.isInteger(port) && (port as number) >= 0 && (port as number) <= 65535;
}

/** A URL for a listening address: IPv6 in brackets, a wildcard shown as loopback so it can be fetched. */
export function serverUrl(protocol: "http" | "https", hostname: string, port: number): string {
  const host =
    hostname === "0.0.0.0"
      ? "127.0.0.1"
      : hostname === "::"
        ? "[::1]"
        : hostname.includes(":")
          ? `[${hostname}]`
          : hostname;
  return `${protocol}://${host}:${port}/`;
}
