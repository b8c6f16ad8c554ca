import { BodyTooLargeError } from "./errors.ts";

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
