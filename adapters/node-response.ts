import type { ServerResponse } from "node:http";
import type { Http2ServerResponse } from "node:http2";
import { isBodyless } from "../src/no-body.ts";

/** The response objects of node:http, node:https and node:http2's compatibility API. */
export type NodeResponse = ServerResponse | Http2ServerResponse;

/** The Response's headers as Node's flat raw list: every Set-Cookie stays its own entry (Fetch §5.2 iteration). */
function rawHeaders(response: Response): string[] {
  const raw: string[] = [];
  for (const [name, value] of response.headers) raw.push(name, value);
  return raw;
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
  if (bytes.byteLength <= smallBody) res.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1"), "latin1");
  else res.end(bytes);
}

function writeHead(res: NodeResponse, response: Response, raw: string[]): void {
  // HTTP/2 has no reason phrase (RFC 9113 §8.3.2).
  if (response.statusText && !("stream" in res)) res.writeHead(response.status, response.statusText, raw);
  else (res as ServerResponse).writeHead(response.status, raw);
}

// What a streamed response may queue in user space before it waits for `drain`: waiting at Node's
// 16 KiB mark costs a round through the event loop per chunk; 256 KiB still bounds a slow client.
const maxBuffered = 256 * 1024;

/** Resolves when the socket can take more, or is gone. */
function drained(res: NodeResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

/**
 * Sends a Response. A body that arrives in one chunk goes out in one write with a Content-Length;
 * a longer body streams, waiting for `drain` so a slow client never makes the server hold it all, and
 * stops (cancelling the body) when the client leaves. A body that errors rejects, and the caller decides
 * between a 500 (nothing sent yet) and a cut connection.
 */
export async function writeResponse(res: NodeResponse, response: Response, method: string): Promise<void> {
  const out = res as ServerResponse; // http2's compatibility response writes the same way
  const raw = rawHeaders(response);
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
    const second = await reader.read();
    if (second.done) {
      if (!hasLength(raw)) raw.push("content-length", String(first.value.byteLength));
      writeHead(res, response, raw);
      endWith(res, first.value);
      return;
    }
    writeHead(res, response, raw);
    // A producer waiting for its next chunk (an SSE stream, say) hears of the client leaving at once.
    res.once("close", () => {
      if (!res.writableFinished) reader.cancel().catch(() => {});
    });
    out.write(first.value);
    let chunk: ReadableStreamReadResult<Uint8Array> = second;
    while (!chunk.done) {
      if (res.destroyed) {
        await reader.cancel();
        return;
      }
      if (!out.write(chunk.value) && out.writableLength >= maxBuffered) await drained(res);
      chunk = await reader.read();
    }
    res.end();
  } catch (error) {
    reader.cancel(error).catch(() => {});
    throw error;
  }
}
