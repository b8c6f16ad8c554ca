// The compressors compress() uses, by runtime. workerd codes a body itself on the way out when the head names
// gzip or br (a Response's `encodeBody: "automatic"`, its default), so there compress() only names the coding,
// and only for a whole body: workerd's coder does not flush a stream chunk by chunk.
// Elsewhere node:zlib (Node, Deno, Bun) flushes after every chunk, so a streamed body reaches the client as it
// is written; CompressionStream, the fallback where there is no node:zlib, buffers until it has a block's worth
// (Node's, Bun's and workerd's do), so it is used for whole bodies only. node:zlib is reached through
// process.getBuiltinModule: no import for bundlers to resolve.
import type * as Zlib from "node:zlib";
import type { Encoding } from "./accept-encoding.ts";

/** The codings this runtime can produce, and whether it can flush a streamed body chunk by chunk. */
export interface Compressors {
  /** The codings available, a subset of br, gzip and deflate. */
  readonly encodings: ReadonlySet<Encoding>;
  /** True where each chunk written comes out compressed before the next is written (node:zlib). */
  readonly flushes: boolean;
  /** True where the runtime codes the body itself once the head names the coding (workerd): no stream needed. */
  readonly runtimeCodes: boolean;
  /** A whole body coded at once, where the runtime can (node:zlib's sync calls: no thread-pool round trip). */
  whole?(encoding: Encoding, body: Uint8Array): Uint8Array;
  /** A fresh compressor for `encoding`. */
  stream(encoding: Encoding): ReadableWritablePair<Uint8Array, Uint8Array>;
}

// Brotli's default quality (11) costs far too much per request; 4 is what servers use for dynamic content.
const BROTLI_QUALITY = 4;

function builtinZlib(): typeof Zlib | undefined {
  const host = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } };
  try {
    return host.process?.getBuiltinModule?.("node:zlib") as typeof Zlib | undefined;
  } catch {
    return undefined;
  }
}

/** A node:zlib stream as a web TransformStream; its output is handed on as it comes. */
function fromZlib(zlib: Zlib.Gzip | Zlib.Deflate | Zlib.BrotliCompress): TransformStream<Uint8Array, Uint8Array> {
  // `cancel` (the client went away) is newer than TypeScript's lib; runtimes without it let the stream be collected.
  const transformer: Transformer<Uint8Array, Uint8Array> & { cancel?: () => void } = {
    start(controller) {
      zlib.on("data", (chunk: Uint8Array) => controller.enqueue(chunk));
      zlib.on("error", (error: Error) => controller.error(error));
    },
    transform: (chunk) =>
      new Promise<void>((resolve, reject) => {
        zlib.write(chunk, (error) => (error ? reject(error) : resolve()));
      }),
    flush: () =>
      new Promise<void>((resolve) => {
        zlib.once("end", resolve);
        zlib.end();
      }),
    cancel: () => {
      zlib.destroy();
    },
  };
  return new TransformStream(transformer);
}

function zlibCompressors(zlib: typeof Zlib): Compressors {
  const { Z_SYNC_FLUSH, BROTLI_OPERATION_FLUSH, BROTLI_PARAM_QUALITY } = zlib.constants;
  const make = {
    br: () =>
      zlib.createBrotliCompress({ flush: BROTLI_OPERATION_FLUSH, params: { [BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } }),
    gzip: () => zlib.createGzip({ flush: Z_SYNC_FLUSH }),
    deflate: () => zlib.createDeflate({ flush: Z_SYNC_FLUSH }),
  };
  const brotli = { params: { [BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } };
  const once = {
    br: (body: Uint8Array) => zlib.brotliCompressSync(body, brotli),
    gzip: (body: Uint8Array) => zlib.gzipSync(body),
    deflate: (body: Uint8Array) => zlib.deflateSync(body),
  };
  return {
    encodings: new Set<Encoding>(["br", "gzip", "deflate"]),
    flushes: true,
    runtimeCodes: false,
    whole: (encoding, body) => once[encoding](body),
    stream: (encoding) => fromZlib(make[encoding]()),
  };
}

/** Whether CompressionStream takes a format here (Deno, Bun and Node take "brotli"; workerd does not); asked in a request. */
function accepts(format: string): boolean {
  try {
    new CompressionStream(format as CompressionFormat);
    return true;
  } catch {
    return false;
  }
}

function webCompressors(): Compressors {
  const formats: Record<Encoding, string> = { br: "brotli", gzip: "gzip", deflate: "deflate" };
  const available = (["br", "gzip", "deflate"] as const).filter((encoding) => accepts(formats[encoding]));
  return {
    encodings: new Set(available),
    flushes: false,
    runtimeCodes: false,
    stream: (encoding) => {
      const { readable, writable } = new CompressionStream(formats[encoding] as CompressionFormat);
      // It takes any BufferSource, Uint8Array<ArrayBufferLike> included, whatever TypeScript's lib says.
      return { readable, writable: writable as WritableStream<Uint8Array> };
    },
  };
}

// workerd's own coding, gzip and br, holds a streamed body back until its end (the workerd compress test shows
// it under Miniflare), so there only a body that is all there is coded.
const workerd: Compressors = {
  encodings: new Set<Encoding>(["br", "gzip"]),
  flushes: false,
  runtimeCodes: true,
  stream: () => new TransformStream<Uint8Array, Uint8Array>(),
};

const onWorkerd = (): boolean =>
  (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === "Cloudflare-Workers";

let found: Compressors | undefined;

/**
 * The compressors of the runtime running this code, found once, during a request (workerd makes no
 * CompressionStream outside one).
 *
 * @example
 * const { encodings, flushes } = runtimeCompressors(); // on Node: br, gzip, deflate; flushes
 */
export function runtimeCompressors(): Compressors {
  if (found) return found;
  if (onWorkerd()) {
    found = workerd;
    return found;
  }
  const zlib = builtinZlib();
  found = zlib && typeof zlib.createGzip === "function" ? zlibCompressors(zlib) : webCompressors();
  return found;
}
