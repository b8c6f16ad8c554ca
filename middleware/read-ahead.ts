// Reading the start of a response body before its head is sent: enough to tell a tiny body (not worth
// compressing) from a large one, and a body that is all there from a live stream, without waiting on the latter.

/** What was read of a body, and the body again, whole, for whoever sends it on. */
export interface ReadAhead {
  /** Bytes read so far. */
  readonly size: number;
  /** True when the body ended within what was read. */
  readonly done: boolean;
  /** The chunks read, in order. */
  readonly chunks: readonly Uint8Array[];
  /** The body from its first byte: what was read, then the rest as the source gives it, with backpressure. */
  body(): ReadableStream<Uint8Array>;
}

type Read = ReadableStreamReadResult<Uint8Array>;
const LATE = Symbol("late");
const FAILED = Symbol("failed");

// A macrotask: a body that is all there (a string, bytes, a Blob) ends in microtasks, well before it.
function nextTask(): { late: Promise<typeof LATE>; cancel(): void } {
  const host = globalThis as { setImmediate?: (run: () => void) => unknown; clearImmediate?: (id: unknown) => void };
  let resolve!: (value: typeof LATE) => void;
  const late = new Promise<typeof LATE>((done) => (resolve = done));
  if (typeof host.setImmediate === "function" && typeof host.clearImmediate === "function") {
    const id = host.setImmediate(() => resolve(LATE));
    return { late, cancel: () => host.clearImmediate?.(id) };
  }
  const id = setTimeout(() => resolve(LATE), 0);
  return { late, cancel: () => clearTimeout(id) };
}

/**
 * Reads `body` until `enough` bytes, its end, or the first read that has to wait for the source; a read that
 * fails is left for the returned body to fail with, after the head is sent, as it would without the read-ahead.
 *
 * @example
 * const ahead = await readAhead(response.body, 1024);
 * if (ahead.done && ahead.size < 1024) return new Response(ahead.body(), response);
 */
export async function readAhead(body: ReadableStream<Uint8Array>, enough: number): Promise<ReadAhead> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let done = false;
  let pending: Promise<Read> | undefined;
  const task = nextTask();
  while (size < enough) {
    pending = reader.read();
    const result = await Promise.race([pending.then(undefined, (): typeof FAILED => FAILED), task.late]);
    if (result === LATE || result === FAILED) break;
    pending = undefined;
    if (result.done) {
      done = true;
      break;
    }
    chunks.push(result.value);
    size += result.value.byteLength;
  }
  task.cancel();
  let next = 0;
  const rest = (): ReadableStream<Uint8Array> =>
    new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          if (next < chunks.length) return controller.enqueue(chunks[next++]);
          const read = pending ?? reader.read();
          pending = undefined;
          const result = await read;
          if (result.done) controller.close();
          else controller.enqueue(result.value);
        },
        cancel: (reason) => reader.cancel(reason),
      },
      { highWaterMark: 0 },
    );
  return { size, done, chunks, body: rest };
}
