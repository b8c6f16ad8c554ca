// Bytes on the wire, for the cases that fetch would hide (framing, header lines, keep-alive).
import { connect } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { tlsFixture } from "./transport.ts";

export interface RawReply {
  /** Everything the server sent, as latin1 text. */
  raw: string;
  /** The first response's header block, lower-cased names kept as sent. */
  head: string;
  /** True when the server closed the connection (rather than the timeout or `until` ending the read). */
  closedByServer: boolean;
  close(): void;
}

/**
 * Sends `text` over a fresh TCP (or, for an https `base`, TLS) connection to `base` and collects the reply until the server closes
 * (or, with `keepOpen`, returns at once; `readNothing` leaves the socket unread to apply backpressure;
 * `halfClose` ends the sending side after `text`; `until` ends the read early once it holds).
 */
export function rawRequest(
  base: string,
  text: string,
  options: {
    keepOpen?: boolean;
    readNothing?: boolean;
    halfClose?: boolean;
    timeout?: number;
    until?: (raw: string) => boolean;
  } = {},
): Promise<RawReply> {
  const { protocol, hostname, port } = new URL(base);
  const host = hostname.replace(/^\[|\]$/g, "");
  // Over TLS the bytes are HTTP/1.1 too: ALPN asks for it, as a client without HTTP/2 would.
  const socket =
    protocol === "https:"
      ? tlsConnect({ host, port: Number(port), ca: tlsFixture.ca, ALPNProtocols: ["http/1.1"] })
      : connect(Number(port), host);
  return new Promise((resolve, reject) => {
    let raw = "";
    let closedByServer = false;
    const reply = (): RawReply => ({
      raw,
      head: raw.split("\r\n\r\n")[0],
      closedByServer,
      close: () => socket.destroy(),
    });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(reply());
    }, options.timeout ?? 10_000);
    let connected = false;
    // A reset after connecting is an answer too (a server refusing bad input); before, it is a failure.
    socket.once("error", (error) => {
      clearTimeout(timer);
      closedByServer = connected;
      if (connected) resolve(reply());
      else reject(error);
    });
    socket.once("connect", () => {
      connected = true;
      socket.write(text, "latin1");
      if (options.halfClose) socket.end();
      if (options.keepOpen) {
        clearTimeout(timer);
        if (options.readNothing) socket.pause();
        resolve(reply());
      }
    });
    if (!options.readNothing) {
      socket.on("data", (chunk: Buffer) => {
        raw += chunk.toString("latin1");
        // Enough read: stop here rather than wait for a server that keeps the connection open.
        if (options.until?.(raw)) socket.destroy();
      });
    }
    socket.once("end", () => (closedByServer = true));
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(reply());
    });
  });
}

/** Polls `check` until it holds, failing after `timeout` ms. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeout = 5000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The body of a raw reply, its chunked framing undone where the head says chunked. */
export function bodyOf(reply: RawReply): string {
  const body = reply.raw.slice(reply.raw.indexOf("\r\n\r\n") + 4);
  if (!/\r\ntransfer-encoding:\s*chunked/i.test(reply.head)) return body;
  let out = "";
  for (let at = 0; ; ) {
    const end = body.indexOf("\r\n", at);
    const size = Number.parseInt(body.slice(at, end), 16);
    if (!(size > 0)) return out;
    out += body.slice(end + 2, end + 2 + size);
    at = end + 2 + size + 2;
  }
}

/** `promise`, or a failure naming what did not come within `ms`. */
export function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not come within ${ms} ms`)), ms)),
  );
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
