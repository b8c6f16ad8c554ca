import type { Server } from "../types.ts";
import { serverUrl } from "./options.ts";

/**
 * The shared shutdown of SPEC.md §4.6: `drain` stops accepting and resolves once the requests in flight
 * and their `waitUntil` work are done; past `timeout` ms, `force` cuts what is left.
 */
export async function closeGracefully(
  drain: () => Promise<void>,
  timeout: number,
  force: () => void | Promise<void>,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"late">((resolve) => {
    timer = setTimeout(resolve, timeout, "late");
  });
  const finished = drain();
  try {
    if ((await Promise.race([finished, deadline])) === "late") await force();
  } finally {
    clearTimeout(timer);
  }
}

/** Where a server listens and how it stops: what every `serve` hands `listeningServer`. */
export interface Listening {
  protocol: "http" | "https";
  hostname: string;
  port: number;
  /** Stops accepting and resolves once the requests in flight and their `waitUntil` work are done. */
  drain(): Promise<void>;
  /** Milliseconds `drain` may take before `force` cuts what is left. */
  gracefulTimeout: number;
  force(): void | Promise<void>;
}

/**
 * The `Server` every adapter's `serve` returns: its URL, and a `close()` that drains once however often
 * it is called.
 *
 * @example
 * return listeningServer({ protocol: "http", hostname, port, drain, gracefulTimeout, force: () => {} });
 */
export function listeningServer({ protocol, hostname, port, drain, gracefulTimeout, force }: Listening): Server {
  let closing: Promise<void> | undefined;
  return {
    url: serverUrl(protocol, hostname, port),
    port,
    hostname,
    close() {
      closing ??= closeGracefully(drain, gracefulTimeout, force);
      return closing;
    },
  };
}
