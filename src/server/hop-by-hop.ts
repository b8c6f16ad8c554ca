// A Response's connection-specific header fields (RFC 9110 §7.6.1) never reach the wire: the server frames
// the body and manages the connection itself, so `return fetch(upstream)` is always well framed.
const hopByHop = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "proxy-connection",
]);

// The lengths and first letters of those names: most header names fail one of them without a lookup, which
// spares lower-casing every name (on Deno, 20 names take 0.08 µs so, against 0.45 µs lower-cased).
const hopLength: boolean[] = [];
const hopInitial: boolean[] = [];
for (const name of hopByHop) {
  hopLength[name.length] = true;
  hopInitial[name.charCodeAt(0)] = true;
}

/**
 * True for a lowercase name the server must not copy from a Response: a hop-by-hop field, or one `Connection` lists.
 *
 * @example
 * isHopByHop("transfer-encoding"); // true
 * isHopByHop("x-hop", listedBy("keep-alive, x-hop")); // true
 */
export function isHopByHop(name: string, listed?: readonly string[]): boolean {
  // The gates first: most names fail them, and two array reads cost less than a set lookup.
  const gated = hopLength[name.length] === true && hopInitial[name.charCodeAt(0)] === true;
  return (gated && hopByHop.has(name)) || listed?.includes(name) === true;
}

/**
 * The field names a `Connection` value lists, lower-cased (RFC 9110 §7.6.1: they are hop-by-hop too).
 *
 * @example
 * listedBy("keep-alive, X-Hop"); // ["keep-alive", "x-hop"]
 */
export function listedBy(connection: string | null): string[] | undefined {
  if (connection === null) return undefined;
  return connection.split(",").map((token) => token.trim().toLowerCase());
}

/**
 * True when a list of header fields (names in any case) holds one the server must leave out. A name
 * `Connection` lists counts only with `Connection` there, which this finds anyway.
 *
 * @example
 * listHoldsHopByHop([["Content-Type", "text/plain"], ["Keep-Alive", "timeout=5"]]); // true
 */
export function listHoldsHopByHop(list: readonly (readonly [string, string])[]): boolean {
  for (let i = 0; i < list.length; i++) if (mayBeHopByHop(list[i][0])) return true;
  return false;
}

/**
 * True when header names (in any case) hold one the server must leave out; as `listHoldsHopByHop`.
 *
 * @example
 * namesHoldHopByHop(new Headers({ "keep-alive": "timeout=5" }).keys()); // true
 */
export function namesHoldHopByHop(names: Iterable<string>): boolean {
  for (const name of names) if (mayBeHopByHop(name)) return true;
  return false;
}

function mayBeHopByHop(name: string): boolean {
  // `| 32` lower-cases an ASCII letter; a name that fails either gate cannot be hop-by-hop.
  if (hopLength[name.length] !== true || hopInitial[name.charCodeAt(0) | 32] !== true) return false;
  return hopByHop.has(name.toLowerCase());
}

/** True when the headers hold any field the server must leave out. */
function hasHopByHop(headers: Headers): boolean {
  for (const name of hopByHop) if (headers.has(name)) return true;
  return false;
}

/**
 * The Response as the wire may carry it, for runtimes that write a Response's headers as they are (Deno,
 * Bun, workerd): itself when it has no hop-by-hop field (seven lookups), else a copy without them.
 * A 101 keeps its `Upgrade` and `Connection`, which complete a WebSocket handshake.
 *
 * @example
 * return withoutHopByHop(await fetch(upstream));
 */
export function withoutHopByHop(response: Response): Response {
  if (response.status === 101 || !hasHopByHop(response.headers)) return response;
  const listed = listedBy(response.headers.get("connection"));
  const headers = new Headers();
  for (const [name, value] of response.headers) if (!isHopByHop(name, listed)) headers.append(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
