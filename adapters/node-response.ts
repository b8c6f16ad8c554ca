import type { EventEmitter } from "node:events";
import { STATUS_CODES, type ServerResponse } from "node:http";
import type { Http2ServerResponse } from "node:http2";
import { endedWhole, responseClosed } from "./node-http2.ts";
import { isHopByHop, listedBy } from "../src/server/hop-by-hop.ts";
import { isBodyless } from "../src/no-body.ts";
import { FastResponse, type WireResponse } from "../src/server/fast/response.ts";

/** The response objects of node:http, node:https and node:http2's compatibility API. */
export type NodeResponse = ServerResponse | Http2ServerResponse;

/**
 * The Response's headers as Node's flat raw list: every Set-Cookie stays its own entry (Fetch §5.2
 * iteration), and hop-by-hop fields are left out, as Node frames the body and owns the connection.
 */
function rawHeaders(response: Response): string[] {
  const raw: string[] = [];
  let listed: string[] | undefined;
  for (const [name, value] of response.headers) {
    if (!isHopByHop(name)) raw.push(name, value);
    else if (name === "connection") listed = listedBy(value);
  }
  return listed === undefined ? raw : withoutListed(raw, listed);
}

/** The same for a flat list of lowercase names (a fastGlobals Response's own, sparing its sorted iterator). */
function rawFromFlat(flat: readonly string[]): string[] {
  const raw: string[] = [];
  let listed: string[] | undefined;
  for (let i = 0; i < flat.length; i += 2) {
    if (!isHopByHop(flat[i])) raw.push(flat[i], flat[i + 1]);
    else if (flat[i] === "connection") listed = listedBy(flat[i + 1]);
  }
  return listed === undefined ? raw : withoutListed(raw, listed);
}

// The names Connection lists are hop-by-hop too (RFC 9110 §7.6.1).
function withoutListed(raw: string[], listed: string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (!listed.includes(raw[i])) kept.push(raw[i], raw[i + 1]);
  return kept;
}

/** Whether a flat raw list names a Content-Length (the Headers iterator gives lowercase names). */
function hasLength(raw: string[]): boolean {
  for (let i = 0; i < raw.length; i += 2) if (raw[i] === "content-length") return true;
  return false;
}

// Below this, a body goes out as a latin1 string (byte for byte the same): Node then sends the head
// and the body in one write instead of a writev of two buffers.
const smallBody = 16 * 1024;

function endWith(res: NodeResponse, bytes: Uint8Array): void {
  if (bytes.byteLength <= smallBody)
    res.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1"), "latin1");
  else res.end(bytes);
}

function writeHead(res: NodeResponse, response: { status: number; statusText: string }, raw: string[]): void {
  const status = response.status;
  // HTTP/2 has no reason phrase (RFC 9113 §8.3.2).
  if ("stream" in res) return void res.writeHead(status, raw);
  // Always a reason of our own: Node keeps the one a refused head left behind, and would refuse the 500 too.
  res.writeHead(status, response.statusText || STATUS_CODES[status] || "Unknown", raw);
}

/**
 * Sends a fastGlobals Response whose body is still the string or bytes it was made with: the head and
 * the body in one write with their Content-Length, as `writeResponse` sends a body complete at once.
 */
export function writeWire(res: NodeResponse, wire: WireResponse, method: string): void {
  const raw = rawFromFlat(wire.headers);
  const body = wire.body;
  if (body === null || isBodyless(method, wire.status)) {
    writeHead(res, wire, raw);
    return void res.end();
  }
  if (typeof body === "string") {
    if (!hasLength(raw)) raw.push("content-length", String(Buffer.byteLength(body)));
    writeHead(res, wire, raw);
    return void res.end(body);
  }
  if (!hasLength(raw)) raw.push("content-length", String(body.byteLength));
  writeHead(res, wire, raw);
  endWith(res, body);
}

const pending = Symbol("pending");
const resolvedPending: Promise<typeof pending> = Promise.resolve(pending);

/**
 * The read, if it settles within a few microtasks, else `pending`. A body complete at once (a string,
 * bytes, a closed stream, one such stream wrapped in another) has its end ready by then, so it can go
 * out in one write; a stream waiting for its producer is not held back. Node 22's undici needs up to
 * three hops for a wrapped one; five (as many as a race with a four-step chain took) leave a margin.
 * One promise and a hop at a time, not a race over a chain built up front: most reads settle on the first.
 */
function settledSoon<T>(read: Promise<T>): Promise<T | typeof pending> {
  return new Promise((resolve, reject) => {
    let hops = 5;
    let open = true;
    read.then(
      (value) => {
        open = false;
        resolve(value);
      },
      (error: unknown) => {
        open = false;
        reject(error);
      },
    );
    const hop = (): void => {
      if (!open) return;
      if (--hops === 0) resolve(pending);
      else void resolvedPending.then(hop);
    };
    void resolvedPending.then(hop);
  });
}

// What a streamed response may queue in user space before it waits for `drain`: waiting at Node's
// 16 KiB mark costs a round through the event loop per chunk, and each flush a syscall and a wake-up of
// the reader (1 MiB of 64 KiB chunks: 0.87 of raw in one writev, 0.63 in four); 1 MiB still bounds a slow client.
const maxBuffered = 1024 * 1024;

/**
 * Resolves when a writable stream (a response, a request being sent) can take more, or is gone.
 *
 * @example
 * if (!res.write(chunk)) await drained(res);
 */
export function drained(stream: EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off("drain", done);
      stream.off("close", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("close", done);
  });
}

/**
 * Sends a Response. A body complete at once goes out in one write with a Content-Length; any other
 * body streams, each chunk written as it comes, waiting for `drain` so a slow client never makes the
 * server hold it all, and stops (cancelling the body) when the client leaves. A body that errors rejects, and the caller decides
 * between a 500 (nothing sent yet) and a cut connection.
 */
export async function writeResponse(res: NodeResponse, response: Response, method: string): Promise<void> {
  const out = res as ServerResponse; // http2's compatibility response writes the same way
  const flat = FastResponse.flatHeaders(response);
  const raw = flat === undefined ? rawHeaders(response) : rawFromFlat(flat);
  const body = response.body;
  if (body === null || isBodyless(method, response.status)) {
    if (body !== null) body.cancel().catch(() => {});
    writeHead(res, response, raw);
    res.end();
    return;
  }
  const reader = body.getReader();
  try {
    const first = await reader.read();
    if (first.done) {
      if (!hasLength(raw)) raw.push("content-length", "0");
      writeHead(res, response, raw);
      res.end();
      return;
    }
    const next = reader.read();
    const second = await settledSoon(next);
    if (second !== pending && second.done) {
      if (!hasLength(raw)) raw.push("content-length", String(first.value.byteLength));
      writeHead(res, response, raw);
      endWith(res, first.value);
      return;
    }
    writeHead(res, response, raw);
    // A producer waiting for its next chunk (an SSE stream, say) hears of the client leaving at once.
    res.once("close", () => {
      if (!endedWhole(res)) reader.cancel().catch(() => {});
    });
    // The first chunk goes out now: the next may be a long time coming.
    out.write(first.value);
    let chunk: ReadableStreamReadResult<Uint8Array> = second === pending ? await next : second;
    while (!chunk.done) {
      // The wait comes before a chunk, not after one: a body that ends as it fills the buffer ends in the same write.
      if (out.writableLength >= maxBuffered) {
        // node:http holds a response's writes corked on its socket until the next tick: send them now, and
        // wait only for a client that has not taken them. (res.uncork() would unbalance the response's count.)
        if (!("stream" in res) && out.socket?.writableCorked) out.socket.uncork();
        if (out.writableLength >= maxBuffered) await drained(res);
      }
      if (responseClosed(res)) {
        await reader.cancel();
        return;
      }
      out.write(chunk.value);
      chunk = await reader.read();
    }
    res.end();
  } catch (error) {
    reader.cancel(error).catch(() => {});
    throw error;
  }
}
