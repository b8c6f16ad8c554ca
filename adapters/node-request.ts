import type { IncomingMessage } from "node:http";
import type { Http2ServerRequest } from "node:http2";
import type { TLSSocket } from "node:tls";
import { validHost } from "../src/server/admit-request.ts";
import { BadRequestError, BodyTooLargeError, RequestAbortedError } from "../src/errors.ts";
import type { PendingBody } from "../src/server/fast/body.ts";
import { serializedUrl, targetKeptAsIs } from "../src/server/serialized-url.ts";

/** The request objects of node:http, node:https and node:http2's compatibility API. */
export type NodeRequest = IncomingMessage | Http2ServerRequest;

// The last Host whose origin the URL standard writes as it came: a request with the same one (most of them)
// needs only its target scanned, not the Host checked and the whole URL built and scanned again.
let known = { host: "", encrypted: false, origin: "" };

/**
 * The absolute URL of a Node request, from its Host (or :authority) and request-target, as the URL standard
 * writes it (what `request.url` gives).
 */
export function requestUrl(req: NodeRequest): string {
  const target = req.url ?? "/";
  // Absolute-form (RFC 9112 §3.2.2) carries its own authority.
  if (target[0] !== "/") {
    if (/^https?:\/\//i.test(target)) return serializedUrl(target);
    throw new BadRequestError(`unsupported request-target: ${target.slice(0, 64)}`);
  }
  const socket = req.socket as TLSSocket;
  const authority = req.headers.host ?? req.headers[":authority"];
  const host = typeof authority === "string" ? authority : `${socket.localAddress}:${socket.localPort}`;
  const encrypted = socket.encrypted === true;
  if (host === known.host && encrypted === known.encrypted && targetKeptAsIs(target)) return known.origin + target;
  if (!validHost.test(host)) throw new BadRequestError("invalid Host header");
  const origin = `${encrypted ? "https" : "http"}://${host}`;
  const url = serializedUrl(origin + target);
  if (url.startsWith(origin) && url.charCodeAt(origin.length) === 47) known = { host, encrypted, origin };
  return url;
}

/**
 * The request's headers as name/value pairs, repeated ones kept apart, HTTP/2 pseudo-headers left out.
 * Pairs, not a Headers object: the Request copies whatever it is given, and a Headers would be built twice.
 */
export function requestHeaders(req: NodeRequest): [string, string][] {
  const raw = req.rawHeaders;
  const pairs: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].charCodeAt(0) !== 58 /* ":" */) pairs.push([raw[i], raw[i + 1]]);
  }
  return pairs;
}

/** True when the request has a body to stream: HTTP/1 says so in its framing, HTTP/2 by not ending the stream. */
export function hasBody(req: NodeRequest): boolean {
  if ("stream" in req) return !req.stream.endAfterHeaders;
  const headers = req.headers;
  return (
    headers["transfer-encoding"] !== undefined ||
    (headers["content-length"] !== undefined && headers["content-length"] !== "0")
  );
}

// How far the body may run ahead of the application before the socket is paused: pausing and resuming
// on every chunk costs more than the copy, and this bounds what an unhurried application makes us hold.
export const maxQueued: number = 256 * 1024;

/**
 * The request body as a byte stream with backpressure: nothing is read until the application asks
 * (high-water mark 0), the socket pauses once `maxQueued` bytes wait unread, and more than `limit`
 * bytes error the stream with `BodyTooLargeError`.
 */
export function requestBody(req: NodeRequest, limit: number): ReadableStream<Uint8Array> {
  let seen = 0;
  let listening = false;
  let open = true;
  const onData = (chunk: Buffer): void => {
    seen += chunk.byteLength;
    if (seen > limit) return finish((controller) => controller.error(new BodyTooLargeError(limit)));
    controller.enqueue(chunk);
    if ((controller.desiredSize ?? 0) < -maxQueued) req.pause();
  };
  let controller: ReadableStreamDefaultController<Uint8Array>;
  // The stream ends once: by the body's end, its error, the limit, or the application cancelling.
  function finish(settle?: (controller: ReadableStreamDefaultController<Uint8Array>) => void): void {
    if (!open) return;
    open = false;
    req.off("data", onData);
    settle?.(controller);
  }
  return new ReadableStream<Uint8Array>(
    {
      start(streamController) {
        controller = streamController;
      },
      pull() {
        if (!listening) {
          listening = true;
          req.on("data", onData);
          req.once("end", () => finish((c) => c.close()));
          req.once("error", (error) => finish((c) => c.error(new RequestAbortedError(error))));
        }
        if (req.isPaused()) req.resume();
      },
      cancel() {
        finish();
        req.resume();
      },
    },
    { highWaterMark: 0, size: (chunk) => chunk.byteLength },
  );
}

/**
 * The whole request body at once, for a body method that needs nothing else: read from the socket as it
 * comes, with no stream in between; more than `limit` bytes reject with `BodyTooLargeError`.
 */
export function readBody(req: NodeRequest, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let seen = 0;
    const onData = (chunk: Buffer): void => {
      seen += chunk.byteLength;
      if (seen <= limit) return void chunks.push(chunk);
      req.off("data", onData);
      reject(new BodyTooLargeError(limit));
    };
    req.on("data", onData);
    req.once("end", () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, seen)));
    req.once("error", (error) => reject(new RequestAbortedError(error)));
  });
}

/** The body of a fastGlobals Request: a stream when asked for one, else read at once (see readBody). */
export function pendingBody(req: NodeRequest, limit: number): PendingBody {
  return { stream: () => requestBody(req, limit), bytes: () => readBody(req, limit) };
}

/** After the response: drop what the application left unread, so the keep-alive connection moves on. */
export function discardBody(req: NodeRequest): void {
  if (req.complete) return;
  req.removeAllListeners("data");
  req.resume();
}
