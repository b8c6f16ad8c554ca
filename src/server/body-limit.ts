import { BodyTooLargeError } from "../errors.ts";

/** True when a declared Content-Length already exceeds the limit, so the body need not be read. */
export function declaresTooLarge(contentLength: string | null | undefined, limit: number): boolean {
  return contentLength != null && Number(contentLength) > limit;
}

/**
 * The body, erroring with `BodyTooLargeError` as soon as more than `limit` bytes have passed. Used by the
 * adapters whose runtime hands over a ReadableStream (Deno, Bun); Node counts in its own stream.
 */
export function limitBody(body: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(new BodyTooLargeError(limit));
        else controller.enqueue(chunk);
      },
    }),
  );
}

/**
 * The request held to `limit` bytes, for the adapters whose runtime hands over a Request (Deno, Bun):
 * throws `BodyTooLargeError` when Content-Length already says more, returns the request itself when a
 * declared length is within the limit (the runtime's parser reads no further), and only rebuilds a
 * body of unknown length around a counting stream, keeping method, headers and signal. `length` is the
 * request's Content-Length where the adapter has read it already.
 *
 * @example
 * const limited = limitRequest(request, 1024 * 1024);
 */
export function limitRequest(
  request: Request,
  limit: number,
  length: string | null = request.headers.get("content-length"),
): Request {
  if (length !== null) {
    if (declaresTooLarge(length, limit)) throw new BodyTooLargeError(limit);
    return request;
  }
  const body = request.body;
  if (body === null) return request;
  return new Request(request, { body: limitBody(body, limit), signal: request.signal, duplex: "half" } as RequestInit);
}
