// The body of a fast Request or Response (Fetch §6.2, the Body mixin): kept as what it was made from (a
// string, bytes, or a server's request still unread) until someone asks for a stream, so that `text()`,
// `json()` and the server's own write need none. Once a stream is made, the stream is the body.

/** A request body the server has not read yet: as a stream, or all at once. */
export interface PendingBody {
  stream(): ReadableStream<Uint8Array>;
  bytes(): Promise<Uint8Array>;
}

/** What a fast body can be made from. */
export type BodySource = string | Uint8Array | ReadableStream<Uint8Array> | PendingBody;

type Streams = { isDisturbed(stream: ReadableStream): boolean };
// node:stream is loaded only once a body is a stream: a cold start that answers with text never needs it.
let streams: Streams | undefined;
function disturbed(stream: ReadableStream): boolean {
  streams ??= process.getBuiltinModule("node:stream") as unknown as Streams;
  return streams.isDisturbed(stream);
}

/** The Content-Type a string body implies (Fetch §6.4.2, extract a body). */
export const textPlain = "text/plain;charset=UTF-8";

/**
 * A body as a light Request or Response keeps it (bytes copied, as the standard copies them), or undefined
 * for one Node's constructor must judge: a Blob, FormData or URLSearchParams, a used or locked stream, or
 * a stream where it is not allowed (a Request without `duplex: "half"`).
 */
export function lightBody(
  body: unknown,
  streamAllowed: boolean,
): string | Uint8Array | ReadableStream | null | undefined {
  if (body === undefined || body === null) return null;
  if (typeof body === "string") return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body.slice(0));
  if (ArrayBuffer.isView(body))
    return new Uint8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
  if (streamAllowed && body instanceof ReadableStream && !body.locked && !disturbed(body)) return body;
  return undefined;
}

// ES2024's string methods, which every Node tsgi supports has.
type WellFormed = string & { isWellFormed(): boolean; toWellFormed(): string };

const unusable = (): TypeError => new TypeError("Body is unusable: Body has already been read");

function oneChunk(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

// Shared: without `stream: true` a decode keeps no state from one call to the next.
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Bytes that own their whole buffer, so `arrayBuffer()` hands out nothing else (Node pools small Buffers). */
export function owned(bytes: Uint8Array): Uint8Array {
  if (bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength) return new Uint8Array(bytes);
  // A Buffer that owns its memory still answers as a plain Uint8Array.
  return Buffer.isBuffer(bytes) ? new Uint8Array(bytes.buffer, 0, bytes.byteLength) : bytes;
}

/** A stream's bytes, whole; they own their buffer (see `owned`). */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = stream.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    chunks.push(chunk.value);
    length += chunk.value.byteLength;
  }
  if (chunks.length === 1) return owned(chunks[0]);
  const all = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return all;
}

/**
 * A body: read once, by a body method, by its stream, or by the server (`take`).
 *
 * @example
 * const body = new FastBody("hello");
 * await body.text(); // "hello", and body.used is true
 */
export class FastBody {
  #source: string | Uint8Array | PendingBody | undefined;
  #stream: ReadableStream<Uint8Array> | undefined;
  #used = false;

  constructor(source: BodySource) {
    // Told apart without touching ReadableStream, which Node sets up on first use (a cold start's ms).
    if (
      typeof source === "string" ||
      source instanceof Uint8Array ||
      typeof (source as PendingBody).stream === "function"
    )
      this.#source = source as string | Uint8Array | PendingBody;
    else this.#stream = source as ReadableStream<Uint8Array>;
  }

  /** The body as a stream; after a body method read it, a locked one, as the standard has it. */
  get stream(): ReadableStream<Uint8Array> {
    if (this.#stream !== undefined) return this.#stream;
    const source = this.#source;
    this.#source = undefined;
    if (this.#used || source === undefined) {
      this.#stream = new ReadableStream<Uint8Array>();
      this.#stream.getReader();
    } else if (typeof source === "string") this.#stream = oneChunk(encoder.encode(source));
    else if (source instanceof Uint8Array) this.#stream = oneChunk(source);
    else this.#stream = source.stream();
    return this.#stream;
  }

  get used(): boolean {
    return this.#used || (this.#stream !== undefined && disturbed(this.#stream));
  }

  /** Whether a body method would refuse it: read already, or its stream locked by a reader. */
  get unusable(): boolean {
    return this.used || this.#stream?.locked === true;
  }

  /** The string or bytes it was made of, for the server to write as they are; undefined once it is a stream. */
  take(): string | Uint8Array | undefined {
    const source = this.#source;
    if (this.#used || (typeof source !== "string" && !(source instanceof Uint8Array))) return undefined;
    this.#used = true;
    this.#source = undefined;
    return source;
  }

  /** The same body twice: this one, and the returned copy (Fetch's "clone a body"). */
  clone(): FastBody {
    if (this.unusable) throw new TypeError("Body has already been consumed.");
    const source = this.#source;
    if (typeof source === "string") return new FastBody(source);
    if (source instanceof Uint8Array) return new FastBody(source.slice());
    const [mine, theirs] = this.stream.tee();
    this.#stream = mine;
    return new FastBody(theirs);
  }

  bytes(): Promise<Uint8Array> {
    return this.#read(true);
  }

  // What a body method reads. Bytes the body was made with or the server's own buffer are copied only when
  // `own`: bytes() hands them to the application, text() decodes them where they are.
  async #read(own: boolean): Promise<Uint8Array> {
    if (this.unusable) throw unusable();
    this.#used = true;
    const source = this.#source;
    this.#source = undefined;
    if (typeof source === "string") return encoder.encode(source);
    if (source instanceof Uint8Array) return own ? owned(source) : source;
    if (source !== undefined) {
      const bytes = await source.bytes();
      return own ? owned(bytes) : bytes;
    }
    // The stream, read by us: `used` stays true whatever the stream says.
    return readAll(this.#stream as ReadableStream<Uint8Array>);
  }

  async text(): Promise<string> {
    const source = this.#source;
    if (typeof source !== "string" || this.unusable) return decoder.decode(await this.#read(false));
    this.#used = true;
    this.#source = undefined;
    // What UTF-8 encoding and decoding would make of it: no leading BOM, lone surrogates replaced.
    const text = (source.charCodeAt(0) === 0xfeff ? source.slice(1) : source) as WellFormed;
    return text.isWellFormed() ? text : text.toWellFormed();
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return (await this.bytes()).buffer as ArrayBuffer;
  }

  json(): Promise<unknown> {
    return this.text().then(JSON.parse);
  }
}
