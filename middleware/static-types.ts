// Content-Type by file extension: the types a web root holds, text ones with their charset, since a
// browser otherwise guesses (and a guessed charset is how mojibake and some XSS happen).

const text = (type: string): string => `${type}; charset=utf-8`;

const TYPES: Record<string, string> = {
  html: text("text/html"),
  htm: text("text/html"),
  css: text("text/css"),
  js: text("text/javascript"),
  mjs: text("text/javascript"),
  cjs: text("text/javascript"),
  json: text("application/json"),
  map: text("application/json"),
  webmanifest: text("application/manifest+json"),
  txt: text("text/plain"),
  md: text("text/markdown"),
  csv: text("text/csv"),
  xml: text("application/xml"),
  svg: text("image/svg+xml"),
  ics: text("text/calendar"),
  vtt: text("text/vtt"),
  wasm: "application/wasm",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  ico: "image/x-icon",
  bmp: "image/bmp",
  woff: "font/woff",
  woff2: "font/woff2",
  ttf: "font/ttf",
  otf: "font/otf",
  mp3: "audio/mpeg",
  ogg: "audio/ogg",
  wav: "audio/wav",
  flac: "audio/flac",
  mp4: "video/mp4",
  webm: "video/webm",
  mov: "video/quicktime",
  pdf: "application/pdf",
  zip: "application/zip",
  gz: "application/gzip",
  tar: "application/x-tar",
  br: "application/octet-stream",
};

/** What a file of unknown kind is sent as (RFC 9110 §8.3: the recipient may then treat it as data). */
export const DEFAULT_TYPE = "application/octet-stream";

/**
 * The `Content-Type` for a file name, from its extension (case-insensitive); text types say `charset=utf-8`.
 * `extra` maps more extensions (without the dot) and wins over the built-in table.
 *
 * @example
 * contentType("app.js"); // "text/javascript; charset=utf-8"
 */
export function contentType(name: string, extra?: Record<string, string>): string {
  const dot = name.lastIndexOf(".");
  if (dot === -1 || dot < name.lastIndexOf("/")) return DEFAULT_TYPE;
  const extension = name.slice(dot + 1).toLowerCase();
  if (extra && Object.hasOwn(extra, extension)) return extra[extension];
  return Object.hasOwn(TYPES, extension) ? TYPES[extension] : DEFAULT_TYPE;
}
