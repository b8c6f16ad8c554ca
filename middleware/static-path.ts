// From a request's path to a file path under the root, refusing every path that could name anything else.
// The URL parser has already resolved `.`/`..` and `%2e%2e` segments, but not every runtime builds
// request.url the same way, so each decoded segment is checked again here and nothing is trusted.
import { join, sep } from "node:path";

/** Longest request path looked at, in characters: past it no file name on a usual file system fits. */
const MAX_PATH = 4096;
/** Longest segment once decoded, in UTF-16 units: the usual file-name limit is 255 bytes. */
const MAX_SEGMENT = 255;

/** A separator of either kind, NUL or another control character, and on Windows a drive or stream colon. */
function forbidden(segment: string): boolean {
  for (let i = 0; i < segment.length; i++) {
    const code = segment.charCodeAt(i);
    if (code < 32 || code === 127 || code === 47 || code === 92 || (code === 58 && sep === "\\")) return true;
  }
  return false;
}

/** A request path that may name a file: its decoded segments, and whether it ended with `/`. */
export interface StaticPath {
  segments: string[];
  directory: boolean;
}

/**
 * The decoded segments of a URL path, or undefined when the path cannot name a file under a root: an empty,
 * `.` or `..` segment, an escape that does not decode, an encoded `/` or `\`, a backslash, NUL or another
 * control character, a dotfile unless `dotfiles`, or a path too long for any file name.
 *
 * @example
 * staticPath("/css/site%20main.css", false); // { segments: ["css", "site main.css"], directory: false }
 * staticPath("/%2e%2e/etc/passwd", false); // undefined
 */
export function staticPath(pathname: string, dotfiles: boolean): StaticPath | undefined {
  if (pathname.length > MAX_PATH || pathname.charCodeAt(0) !== 47) return undefined;
  const raw = pathname.slice(1).split("/");
  const directory = raw[raw.length - 1] === "";
  if (directory) raw.pop();
  const segments: string[] = [];
  for (const part of raw) {
    let segment: string;
    try {
      segment = decodeURIComponent(part);
    } catch {
      return undefined;
    }
    if (segment === "" || segment === "." || segment === ".." || segment.length > MAX_SEGMENT) return undefined;
    if (forbidden(segment)) return undefined;
    if (!dotfiles && segment.charCodeAt(0) === 46) return undefined;
    segments.push(segment);
  }
  return { segments, directory };
}

/**
 * `segments` joined under `root` (an absolute, resolved directory), or undefined if the result is not
 * inside it: a second check that does not depend on the first.
 *
 * @example
 * underRoot("/srv/www", ["css", "site.css"]); // "/srv/www/css/site.css"
 */
export function underRoot(root: string, segments: string[]): string | undefined {
  const path = join(root, ...segments);
  return isInside(root, path) ? path : undefined;
}

/**
 * Whether `path` (a real path, symlinks resolved) is `root` itself or lies inside it.
 *
 * @example
 * isInside("/srv/www", "/srv/www-old/secret"); // false
 */
export function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}
