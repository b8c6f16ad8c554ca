// request.url as the URL standard writes it, for the URLs no runtime has parsed: those tsgi builds (Node, Lambda)
// and those Deno pastes together from the request line, or Bun passes on when its parse failed.
import { BadRequestError } from "../errors.ts";

const KEPT = 1;
const DOT = 2;
const PERCENT = 3;
// ASCII a path or query keeps as it is under the serializer ("'" aside: a special URL's query escapes it);
// a dot or a percent sign is kept too unless it makes a dot segment, which the parser resolves.
const kinds = new Uint8Array(128);
for (const char of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_~!$&()*+,;=:@/?")
  kinds[char.charCodeAt(0)] = KEPT;
kinds[46] = DOT;
kinds[37] = PERCENT;

/** True when the parser would give `url` from `from` on as it is: no dot segment, nothing to escape. */
function keptAsIs(url: string, from: number): boolean {
  let previous = 0;
  for (let i = from; i < url.length; i++) {
    const code = url.charCodeAt(i);
    const kind = code < 128 ? kinds[code] : 0;
    if (kind === 0) return false;
    // "/." starts a dot segment or a name like ".well-known": either way the parser decides.
    if (kind === DOT && previous === 47) return false;
    // "%2e" is a dot.
    if (kind === PERCENT && url.charCodeAt(i + 1) === 50 && (url.charCodeAt(i + 2) | 32) === 101) return false;
    previous = code;
  }
  return true;
}

/**
 * True when the parser keeps a request-target (a path and query, starting with "/") as it is: no dot
 * segment, nothing it would escape.
 *
 * @example
 * targetKeptAsIs("/a/b?c=d"); // true
 * targetKeptAsIs("/a/../b"); // false
 */
export function targetKeptAsIs(target: string): boolean {
  return keptAsIs(target, 0);
}

// The last origin seen that the standard writes as it came (one server sees few); none at first.
let knownOrigin = "";

/**
 * `new URL(url).href`, without the parse for the usual URL (a known origin, then a plain path and query):
 * dot segments resolved, the host in lower case, a default port left out. An absolute URL the parser
 * refuses (a Host like `a%b`) is the client's error: `BadRequestError`.
 *
 * @example
 * serializedUrl("http://Example.com:80/a/../b"); // "http://example.com/b"
 */
export function serializedUrl(url: string): string {
  const from = knownOrigin.length;
  if (from > 0 && url.charCodeAt(from) === 47 && url.startsWith(knownOrigin) && keptAsIs(url, from)) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BadRequestError(`invalid request URL: ${url.slice(0, 64)}`);
  }
  const origin = parsed.origin;
  if (url.charCodeAt(origin.length) === 47 && url.startsWith(origin)) knownOrigin = origin;
  return parsed.href;
}
