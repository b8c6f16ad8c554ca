// Validators and byte ranges for a file: its ETag, whether the client's copy is fresh (304), and which
// part of it a Range header asks for (206, 416), after RFC 9110 §8.8, §13 and §14.

/** What a response for a file is built from: the size and change time its stat gave. */
export interface FileStats {
  size: number;
  mtimeMs: number;
}

/**
 * A strong ETag from size and change time, as nginx makes them: a file rewritten in place gets a new one.
 * Strong, so that If-Range (which compares strongly) can resume a download.
 *
 * @example
 * etagOf({ size: 1024, mtimeMs: 1700000000000 }); // '"400-18bcfe56800"'
 */
export function etagOf(stats: FileStats): string {
  return `"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
}

const opaque = (tag: string): string => (tag.startsWith("W/") ? tag.slice(2) : tag);

/**
 * Whether the client already has this version (RFC 9110 §13.2.2): `If-None-Match` compared weakly when it
 * is sent, else `If-Modified-Since` against the change time in whole seconds.
 *
 * @example
 * if (isFresh(request.headers, etag, stats.mtimeMs)) return new Response(null, { status: 304 });
 */
export function isFresh(headers: Headers, etag: string, mtimeMs: number): boolean {
  const noneMatch = headers.get("if-none-match");
  if (noneMatch !== null) {
    return noneMatch.split(",").some((tag) => {
      const trimmed = tag.trim();
      return trimmed === "*" || opaque(trimmed) === etag;
    });
  }
  const since = headers.get("if-modified-since");
  if (since === null) return false;
  const date = Date.parse(since);
  return !Number.isNaN(date) && Math.floor(mtimeMs / 1000) * 1000 <= date;
}

/** What to send of a file: all of it, one byte range (inclusive), or a 416. */
export type RangeAnswer =
  | { kind: "full" }
  | { kind: "partial"; start: number; end: number }
  | { kind: "unsatisfiable" };

const FULL: RangeAnswer = { kind: "full" };
const UNSATISFIABLE: RangeAnswer = { kind: "unsatisfiable" };
const SPEC = /^\s*(\d*)\s*-\s*(\d*)\s*$/;

/**
 * The part of a file of `size` bytes that `Range` asks for (RFC 9110 §14.1.2). A malformed header, one
 * for several ranges (which a server may ignore, §14.2), or an `If-Range` naming another version gets the
 * whole file; a range that starts past the end gets a 416.
 *
 * @example
 * rangeOf(new Headers({ range: "bytes=0-99" }), 1000, etag, lastModified); // { kind: "partial", start: 0, end: 99 }
 */
export function rangeOf(headers: Headers, size: number, etag: string, lastModified: string): RangeAnswer {
  const range = headers.get("range");
  if (range === null) return FULL;
  const ifRange = headers.get("if-range");
  if (ifRange !== null && ifRange.trim() !== etag && ifRange.trim() !== lastModified) return FULL;
  const equals = range.indexOf("=");
  if (equals === -1 || range.slice(0, equals).trim().toLowerCase() !== "bytes") return FULL;
  const specs = range.slice(equals + 1).split(",");
  if (specs.length !== 1) return FULL;
  const [, first = "", last = ""] = SPEC.exec(specs[0]) ?? [];
  if (first === "" && last === "") return FULL;
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return UNSATISFIABLE;
    return { kind: "partial", start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === "" ? size - 1 : Number(last);
  if (last !== "" && end < start) return FULL;
  if (start >= size) return UNSATISFIABLE;
  return { kind: "partial", start, end: Math.min(end, size - 1) };
}
