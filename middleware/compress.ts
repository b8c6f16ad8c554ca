// compress(): the response body in the best content coding the client accepts (RFC 9110 §8.4, §12.5.3).
import { InvalidOptionError } from "../src/errors.ts";
import type { Env, Middleware } from "../src/types.ts";
import { type Encoding, negotiateEncoding } from "./accept-encoding.ts";
import { runtimeCompressors } from "./compressors.ts";
import { readAhead } from "./read-ahead.ts";

/** Options of `compress()`. */
export interface CompressOptions {
  /** The smallest body worth compressing, in bytes; smaller ones go as they are. Default 1024. */
  threshold?: number;
  /** The codings to offer, in order of preference. Default `["br", "gzip", "deflate"]`, less what the runtime lacks. */
  encodings?: readonly Encoding[];
  /** Whether a response is worth compressing. Default: by `Content-Type` (text, JSON, JavaScript, XML, SVG...). */
  filter?: (response: Response, request: Request) => boolean;
}

const ALL: readonly Encoding[] = ["br", "gzip", "deflate"];

// A body that is all there up to this size is coded in one sync call: a stream's thread-pool round trips cost
// ten times as much for a few KiB, and 64 KiB codes in well under a millisecond.
const WHOLE = 64 * 1024;

// Text-like types compress well; images, video, archives and fonts other than these are compressed already.
const COMPRESSIBLE =
  /^(?:text\/|application\/(?:json|javascript|ecmascript|xml|xhtml\+xml|wasm|x-www-form-urlencoded|graphql|x-ndjson|ld\+json|manifest\+json)\b|[^/]+\/[^;]*\+(?:json|xml)\b|image\/(?:svg\+xml|x-icon|vnd\.microsoft\.icon|bmp)\b|font\/(?:otf|ttf)\b)/i;

/**
 * By default a response is compressible if its `Content-Type` is text-like.
 *
 * @example
 * compress({ filter: (response, request) => compressible(response) && !request.url.includes("/raw/") });
 */
export function compressible(response: Response): boolean {
  return COMPRESSIBLE.test(response.headers.get("content-type") ?? "");
}

function checked(options: CompressOptions): { threshold: number; offered: () => Encoding[] } {
  const { threshold = 1024, encodings = ALL } = options;
  if (!Number.isInteger(threshold) || threshold < 0)
    throw new InvalidOptionError(`compress: threshold must be a whole number of bytes, got ${String(threshold)}`);
  const unknown = encodings.find((encoding) => !ALL.includes(encoding));
  if (unknown !== undefined)
    throw new InvalidOptionError(`compress: encodings may hold br, gzip and deflate, got ${String(unknown)}`);
  // Found on the first request: workerd makes no CompressionStream outside one, so the probe waits till then.
  let offered: Encoding[] | undefined;
  const available = () => runtimeCompressors().encodings;
  return { threshold, offered: () => (offered ??= encodings.filter((encoding) => available().has(encoding))) };
}

// What never gets a coding, whoever asks: bodiless or partial statuses, a body coded already, an
// event stream (a compressor may hold events back), and what the application keeps from transformation.
function eligible(response: Response): boolean {
  const { status, headers } = response;
  if (status < 200 || status === 204 || status === 206 || status === 304) return false;
  const coding = headers.get("content-encoding");
  if (coding !== null && coding.trim().toLowerCase() !== "identity") return false;
  if (/\bno-transform\b/i.test(headers.get("cache-control") ?? "")) return false;
  return !/^\s*text\/event-stream\b/i.test(headers.get("content-type") ?? "");
}

/** Adds `Accept-Encoding` to `Vary` unless it is there (or `*`) already. */
function varyOnAcceptEncoding(headers: Headers): void {
  const vary = headers.get("vary");
  if (vary === null) return headers.set("vary", "Accept-Encoding");
  const names = vary.split(",").map((name) => name.trim().toLowerCase());
  if (!names.includes("accept-encoding") && !names.includes("*")) headers.set("vary", `${vary}, Accept-Encoding`);
}

// A Response's headers are immutable when it came from fetch(): then it is built again around the same body.
function withVary(response: Response): Response {
  try {
    varyOnAcceptEncoding(response.headers);
    return response;
  } catch {
    const headers = new Headers(response.headers);
    varyOnAcceptEncoding(headers);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}

// One Uint8Array, so that the server knows the length (a Blob goes chunked on Deno).
function joined(chunks: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  if (chunks.length === 1) return chunks[0] as Uint8Array<ArrayBuffer>;
  const bytes = new Uint8Array(chunks.reduce((size, chunk) => size + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

async function encoded(response: Response, encoding: Encoding, threshold: number): Promise<Response> {
  // Asked only now: on Deno, reading `body` turns a string body into a stream, which costs more than the rest.
  if (response.body === null) return response;
  const declared = response.headers.get("content-length");
  if (declared !== null && Number(declared) < threshold) return response;
  const { status, statusText } = response;
  const compressors = runtimeCompressors();
  // Where nothing flushes, only a body that is all there is coded: the read-ahead goes on till its end. Elsewhere
  // it reads what is there up to WHOLE, which one sync call codes far faster than a stream.
  const enough = compressors.flushes ? Math.max(threshold, WHOLE) : Number.POSITIVE_INFINITY;
  const ahead = await readAhead(response.body as ReadableStream<Uint8Array>, enough);
  // The Response constructor copies the headers it is given: a copy of our own only once we change them.
  const { headers: given } = response;
  if (ahead.done && ahead.size < threshold)
    return new Response(joined(ahead.chunks), { status, statusText, headers: given });
  // Without a compressor that flushes, a live stream goes as it is rather than held back (workerd, plain).
  if (!ahead.done && !compressors.flushes) return new Response(ahead.body(), { status, statusText, headers: given });
  const headers = new Headers(given);
  headers.set("content-encoding", encoding);
  headers.delete("content-length");
  // A strong validator names one representation; the coded one is another (RFC 9110 §8.8.1).
  const etag = headers.get("etag");
  if (etag?.startsWith('"')) headers.set("etag", `W/${etag}`);
  if (ahead.done && compressors.whole && ahead.size <= WHOLE) {
    const coded = compressors.whole(encoding, joined(ahead.chunks)) as Uint8Array<ArrayBuffer>;
    return new Response(coded, { status, statusText, headers });
  }
  // workerd codes the body itself as it sends it, the head naming the coding being enough.
  const body = compressors.runtimeCodes ? ahead.body() : ahead.body().pipeThrough(compressors.stream(encoding));
  return new Response(body, { status, statusText, headers });
}

// Cloudflare's edge tells a Worker `Accept-Encoding: br, gzip` whatever the client said, and keeps what it
// said in request.cf.clientAcceptEncoding.
function acceptEncoding(request: Request): string | null {
  const cf = (request as { cf?: { clientAcceptEncoding?: unknown } }).cf;
  const client = cf?.clientAcceptEncoding;
  return typeof client === "string" ? client : request.headers.get("accept-encoding");
}

/**
 * Compresses response bodies with br, gzip or deflate, whichever the client's `Accept-Encoding` weighs
 * highest (q-values) of those the runtime has. Leaves alone tiny bodies, coded ones, `text/event-stream`,
 * HEAD, 204, 206 and 304, and adds `Vary: Accept-Encoding` to every response it could have compressed.
 * A streamed body is flushed chunk by chunk where the runtime has node:zlib (see docs/middleware.md).
 *
 * @example
 * import { compress } from "tsgi/middleware";
 * export default compose(compress())(app);
 */
export function compress<E = Env>(options: CompressOptions = {}): Middleware<E> {
  const { threshold, offered } = checked(options);
  const { filter = compressible } = options;
  const answer = (request: Request, response: Response): Response | Promise<Response> => {
    // What is not a Response is left for the server to answer with its 500.
    if (!(response instanceof Response) || !eligible(response) || !filter(response, request)) return response;
    const vary = withVary(response);
    if (request.method === "HEAD" || request.headers.has("upgrade")) return vary;
    const encoding = negotiateEncoding(acceptEncoding(request), offered());
    return encoding === undefined ? vary : encoded(vary, encoding, threshold);
  };
  return (next) => (request, env, ctx) => {
    const response = next(request, env, ctx);
    if (response instanceof Promise) return response.then((given) => answer(request, given));
    return answer(request, response);
  };
}
