// The `tsgi/static` entry point: serveStatic, a middleware that answers GET and HEAD from files under a
// root and hands every other request to the application. docs/static.md says what it does and why.
import { realpathSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { InvalidOptionError } from "../src/errors.ts";
import type { Env, Middleware } from "../src/types.ts";
import { etagOf, isFresh, rangeOf } from "./static-conditional.ts";
import { acceptedVariants } from "./static-encoding.ts";
import { fileBody, type FoundFile, findFile } from "./static-files.ts";
import { staticPath } from "./static-path.ts";
import { contentType } from "./static-types.ts";

/** What `serveStatic` takes. Only `root` is required. */
export interface StaticOptions {
  /** The directory whose files are served; relative to the working directory. It must exist. */
  root: string;
  /** The file served for a directory's path (which ends with `/`), or `false` for none. Default `"index.html"`. */
  index?: string | false;
  /** Serve files and directories whose name begins with `.`. Default false: they are left to the application. */
  dotfiles?: boolean;
  /** Serve `name.br` / `name.gz` beside `name` to a client that accepts that encoding. Default true. */
  precompressed?: boolean;
  /** The `Cache-Control` value for every file response, as it is (`"public, max-age=3600"`). Default none. */
  cacheControl?: string;
  /** Hand a GET or HEAD that names no file to the application. Default true; false answers 404 here. */
  fallthrough?: boolean;
  /** More extensions (no dot) and their `Content-Type`, on top of the built-in table. */
  contentTypes?: Record<string, string>;
}

interface Settings {
  realRoot: string;
  index: string | false;
  dotfiles: boolean;
  precompressed: boolean;
  cacheControl: string | undefined;
  fallthrough: boolean;
  contentTypes: Record<string, string> | undefined;
}

function fail(why: string): never {
  throw new InvalidOptionError(`tsgi/static: ${why}`);
}

function settingsOf(options: StaticOptions): Settings {
  if (typeof options !== "object" || options === null) fail("serveStatic takes an options object with a root");
  if (typeof options.root !== "string" || options.root === "") fail("root must be a directory path");
  const root = resolve(options.root);
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) fail(`root ${options.root} is not a directory`);
  const { index = "index.html", cacheControl } = options;
  if (index !== false && (typeof index !== "string" || index === "" || /[/\\\0]/.test(index)))
    fail("index must be a file name or false");
  if (cacheControl !== undefined && (typeof cacheControl !== "string" || /[\r\n\0]/.test(cacheControl)))
    fail("cacheControl must be a header value");
  return {
    realRoot: realpathSync(root),
    index,
    dotfiles: options.dotfiles === true,
    precompressed: options.precompressed !== false,
    cacheControl,
    fallthrough: options.fallthrough !== false,
    contentTypes: options.contentTypes,
  };
}

const notFound = (): Response =>
  new Response("Not Found\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });

/** A directory asked for without its `/`: relative, so it holds under any mount prefix. */
function toDirectory(url: URL): Response {
  const last = url.pathname.slice(url.pathname.lastIndexOf("/") + 1);
  return new Response(null, { status: 301, headers: { location: `./${last}/${url.search}` } });
}

/** A file found, and the segments of the path it was found at (its name gives its type and its siblings). */
interface Located {
  file: FoundFile;
  segments: string[];
}

/** The file a request path names (a directory's index for a directory), a redirect, or undefined. */
function locate(url: URL, settings: Settings): Located | Response | undefined {
  const path = staticPath(url.pathname, settings.dotfiles);
  if (path === undefined) return undefined;
  const found = findFile(settings.realRoot, path.segments);
  if (found === undefined) return undefined;
  if (!found.directory) return path.directory ? undefined : { file: found, segments: path.segments };
  if (settings.index === false) return undefined;
  const segments = [...path.segments, settings.index];
  const index = findFile(settings.realRoot, segments);
  if (index === undefined || index.directory) return undefined;
  return path.directory ? { file: index, segments } : toDirectory(url);
}

/** The sibling `.br` / `.gz` beside the path asked for that the client takes best, if there is one. */
function variantOf(request: Request, { segments }: Located, settings: Settings) {
  const last = segments.length - 1;
  for (const variant of acceptedVariants(request.headers.get("accept-encoding"))) {
    const sibling = segments.with(last, segments[last] + variant.suffix);
    const found = findFile(settings.realRoot, sibling);
    if (found !== undefined && !found.directory) return { file: found, encoding: variant.encoding };
  }
  return undefined;
}

/** The response for a file that exists: 200, 206, 304 or 416, the body opened only when one is sent. */
async function respond(request: Request, located: Located, settings: Settings): Promise<Response> {
  const variant = settings.precompressed ? variantOf(request, located, settings) : undefined;
  const file = variant?.file ?? located.file;
  const etag = etagOf(file);
  const lastModified = new Date(file.mtimeMs).toUTCString();
  const headers: Record<string, string> = { etag, "last-modified": lastModified };
  if (settings.cacheControl !== undefined) headers["cache-control"] = settings.cacheControl;
  if (settings.precompressed) headers.vary = "Accept-Encoding";
  if (isFresh(request.headers, etag, file.mtimeMs)) return new Response(null, { status: 304, headers });

  headers["content-type"] = contentType(located.segments[located.segments.length - 1], settings.contentTypes);
  headers["accept-ranges"] = "bytes";
  if (variant !== undefined) headers["content-encoding"] = variant.encoding;
  const range = rangeOf(request.headers, file.size, etag, lastModified);
  if (range.kind === "unsatisfiable") {
    headers["content-range"] = `bytes */${file.size}`;
    return new Response(null, { status: 416, headers });
  }
  const [start, end] = range.kind === "partial" ? [range.start, range.end] : [0, file.size - 1];
  headers["content-length"] = String(end - start + 1);
  if (range.kind === "partial") headers["content-range"] = `bytes ${start}-${end}/${file.size}`;
  const status = range.kind === "partial" ? 206 : 200;
  const body = request.method === "HEAD" ? null : await fileBody(file.path, start, end, file.size);
  return new Response(body, { status, headers });
}

/**
 * A middleware that answers GET and HEAD from the files under `root`, and hands the application every
 * other request: other methods, paths that name no file, and (unless `dotfiles`) dotfiles. It sends
 * `Content-Type` by extension, `ETag` and `Last-Modified` with 304s, byte ranges (206, 416), `index.html`
 * for a directory, and a precompressed `.br` or `.gz` sibling to a client that accepts it. No request
 * reads anything outside `root`, through encoded dots or slashes, backslashes, NUL, or symlinks that lead
 * out. Under `mount` it serves the path below the prefix.
 *
 * @example
 * import { compose } from "tsgi";
 * import { serveStatic } from "tsgi/static";
 * export default compose(serveStatic({ root: "public", cacheControl: "public, max-age=3600" }))(app);
 */
export function serveStatic<E = Env>(options: StaticOptions): Middleware<E> {
  const settings = settingsOf(options);
  return (next) => async (request, env, ctx) => {
    if (request.method !== "GET" && request.method !== "HEAD") return next(request, env, ctx);
    const url = new URL(request.url);
    const located = locate(url, settings);
    if (located instanceof Response) return located;
    if (located !== undefined) {
      // A file that vanished or became unreadable since its stat is one the application may answer for.
      const response = await respond(request, located, settings).catch(() => undefined);
      if (response !== undefined) return response;
    }
    return settings.fallthrough ? next(request, env, ctx) : notFound();
  };
}
