import { limitRequest } from "./body-limit.ts";
import { BadRequestError } from "../errors.ts";
import { serializedUrl } from "./serialized-url.ts";

// A Host that could move the path or smuggle a userinfo part is refused (RFC 9110 §7.2): a runtime that
// pasted it into request.url would hand the application another path than the client asked for.
export const validHost: RegExp = /^(?:\[[0-9a-f:.]+\]|[^\s/?#@\\[\]]+)(?::\d*)?$/i;

/** How an adapter reads one field of its runtime's Request, where that is cheaper than `request.headers`. */
export type HeaderReader = (request: Request, name: string) => string | null;

/**
 * The runtime's Request as the application may see it (SPEC.md §4.2), for the adapters whose runtime
 * hands over a Request (Deno, Bun): a Host that could move the path throws `BadRequestError`, a missing
 * one (HTTP/1.0) gets the server's own address where the runtime left the URL relative, and the body is
 * held to `maxBodySize`; a URL the standard would write otherwise (a dot segment, a Host in capitals) is
 * written again, in a new Request, and one it refuses throws `BadRequestError`. `checkHost` reads the Host, for
 * runtimes that paste it into `request.url` unchecked (Deno); one that leaves the URL relative instead (Bun)
 * is spared reading the headers on every request. `contentLength` is the request's Content-Length where the
 * adapter has read it already.
 *
 * @example
 * request = admitRequest(request, 1024 * 1024, "http://127.0.0.1:3000/", (r, name) => r.headers.get(name));
 */
export function admitRequest(
  request: Request,
  maxBodySize: number,
  base: string,
  checkHost?: HeaderReader,
  contentLength?: string | null,
): Request {
  const url = request.url;
  if (url.charCodeAt(0) === 47 /* "/" */) {
    // A relative URL: the runtime found no usable Host. None at all is HTTP/1.0's right (RFC 9112 §3.2).
    if (request.headers.has("host")) throw new BadRequestError("invalid Host header");
    request = withUrl(request, new URL(url, base).href);
  } else {
    const host = checkHost?.(request, "host") ?? null;
    if (host !== null && !validHost.test(host)) throw new BadRequestError("invalid Host header");
    // Deno keeps the URL as it came, Bun one it could not parse (a Host like `a%b`).
    const serialized = serializedUrl(url);
    if (serialized !== url) request = withUrl(request, serialized);
  }
  const method = request.method;
  return method === "GET" || method === "HEAD" ? request : limitRequest(request, maxBodySize, contentLength);
}

/** `request` at another URL, everything else carried over (its body too, unread). */
function withUrl(request: Request, url: string): Request {
  const { method, headers, body, signal } = request;
  const copy = new Request(url, { method, headers, body, signal, duplex: "half" } as RequestInit);
  originals.set(copy, request);
  return copy;
}

// The runtime's own Request behind each copy: Deno upgrades a WebSocket only on the object it handed over.
const originals = new WeakMap<Request, Request>();

/**
 * The Request the runtime handed over, for one `admitRequest` gave in its place.
 *
 * @example
 * Deno.upgradeWebSocket(runtimeRequest(request));
 */
export function runtimeRequest(request: Request): Request {
  return originals.get(request) ?? request;
}
