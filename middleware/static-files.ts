// Finding a file under the root (symlinks resolved and checked) and opening its bytes from each runtime's
// fastest source: Bun's lazy file Blob (sent with sendfile), Deno's file stream (piped by Deno itself),
// and on Node a stream that reads the next chunk only when the server asks for it, so memory stays flat.
// Finding and small reads are synchronous: on a local disk each call takes microseconds, while a trip
// through the thread pool cost a small-file request on Node about 2.5 times the CPU (bench/static.ts).
import { Buffer } from "node:buffer";
import { closeSync, lstatSync, openSync, readSync, realpathSync, type Stats, statSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { serverRuntime } from "../src/server/runtime.ts";
import { sep } from "node:path";
import { isInside, underRoot } from "./static-path.ts";

/** A regular file or a directory found under the root, by its real path. */
export interface FoundFile {
  path: string;
  directory: boolean;
  size: number;
  mtimeMs: number;
}

function found(path: string, stats: Stats): FoundFile | undefined {
  if (!stats.isFile() && !stats.isDirectory()) return undefined;
  return { path, directory: stats.isDirectory(), size: stats.size, mtimeMs: stats.mtimeMs };
}

/** Where a path with a symlink in it really leads, if that is inside the root. */
function throughLinks(path: string, realRoot: string): FoundFile | undefined {
  const real = realpathSync.native(path);
  return isInside(realRoot, real) ? found(real, statSync(real)) : undefined;
}

/**
 * The file or directory that `segments` (checked by `staticPath`) name under `realRoot` (a real path), if its
 * real path, every symlink resolved, lies inside `realRoot`; undefined when it does not, when it is missing
 * or unreadable, or when it is neither file nor directory (a FIFO would hang the request, a device would never
 * end). Each segment is looked at with lstat: one call for a file at the top, where realpath and stat would
 * take one per directory from `/` down, and a symlink met on the way is resolved whole and checked.
 *
 * @example
 * const found = findFile("/srv/www", ["css", "site.css"]);
 */
export function findFile(realRoot: string, segments: string[]): FoundFile | undefined {
  const full = underRoot(realRoot, segments);
  if (full === undefined) return undefined;
  try {
    let path = realRoot;
    let stats = segments.length === 0 ? statSync(realRoot) : undefined;
    for (const segment of segments) {
      path = path.endsWith(sep) ? path + segment : path + sep + segment;
      stats = lstatSync(path, { throwIfNoEntry: false });
      if (stats === undefined) return undefined;
      if (stats.isSymbolicLink()) return throughLinks(full, realRoot);
    }
    return stats && found(path, stats);
  } catch {
    return undefined;
  }
}

/** Up to this size, Node and Deno read a whole file at once: one write, no stream to set up. */
const SMALL = 64 * 1024;
/** How much a Node file stream reads at a time. */
const CHUNK = 256 * 1024;

interface BunFiles {
  file(path: string): Blob;
}
interface DenoFile {
  readonly readable: ReadableStream<Uint8Array>;
}
interface DenoFiles {
  open(path: string): Promise<DenoFile>;
}
const runtimeGlobals = globalThis as typeof globalThis & { Bun?: BunFiles; Deno?: DenoFiles };

/**
 * The body for bytes `start` to `end` (inclusive) of a file of `size` bytes, from the runtime's fastest
 * source. Opening fails here (before any header is sent) if the file cannot be read.
 *
 * @example
 * return new Response(await fileBody(found.path, 0, found.size - 1, found.size));
 */
export async function fileBody(path: string, start: number, end: number, size: number): Promise<BodyInit | null> {
  if (end < start) return null;
  const whole = start === 0 && end === size - 1;
  const runtime = serverRuntime();
  if (runtime === "bun" && runtimeGlobals.Bun) {
    const file = runtimeGlobals.Bun.file(path);
    return whole ? file : file.slice(start, end + 1);
  }
  if (whole && size <= SMALL) return readSmall(path, size);
  if (whole && runtime === "deno" && runtimeGlobals.Deno) return (await runtimeGlobals.Deno.open(path)).readable;
  return readStream(await open(path, "r"), start, end);
}

/** A small file whole: open, one read of the size stat gave, close (readFileSync would fstat again). */
function readSmall(path: string, size: number): Uint8Array<ArrayBuffer> {
  const fd = openSync(path, "r");
  try {
    // Its own memory, not a slice of Node's shared pool, since the body may outlive this call by a while.
    const buffer = Buffer.allocUnsafeSlow(size);
    for (let read = 0; read < size; ) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) throw new Error("tsgi/static: the file got shorter while it was read");
      read += n;
    }
    return buffer;
  } finally {
    closeSync(fd);
  }
}

/** A pull stream over an open file: each read is asked for by the consumer, so a slow client holds one chunk. */
function readStream(handle: FileHandle, start: number, end: number): ReadableStream<Uint8Array> {
  let position = start;
  let closed = false;
  const close = (): Promise<void> => {
    if (closed) return Promise.resolve();
    closed = true;
    return handle.close().catch(() => {});
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          // Not zero-filled: the read overwrites it, and only the bytes read are sent.
          const buffer = Buffer.allocUnsafe(Math.min(CHUNK, end + 1 - position));
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
          // A file cut short after its stat: end the stream in error rather than send short of its length.
          if (bytesRead === 0) throw new Error("tsgi/static: the file got shorter while it was sent");
          position += bytesRead;
          controller.enqueue(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead));
          if (position > end) {
            await close();
            controller.close();
          }
        } catch (error) {
          await close();
          controller.error(error);
        }
      },
      cancel: close,
    },
    { highWaterMark: 1 },
  );
}
