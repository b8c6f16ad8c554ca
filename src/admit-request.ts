import { limitRequest } from "./body-limit.ts";
import { BadRequestError } from "./errors.ts";

// A Host that could move the path or smuggle a userinfo part is refused (RFC 9110 §7.2): a runtime that
// pasted it into request.url would hand the application another path than the client asked for.
export const validHost: RegExp = /^(?:\[[0-9a-f:.]+\]|[^\s/?#@\\[\]]+)(?::\d*)?$/i;

/**
 * The runtime's Request as the application may see it (SPEC.md §4.2), for the adapters whose runtime
 * hands over a Request (Deno, Bun): an invalid Host throws `BadRequestError`, a missing one (HTTP/1.0)
 * gets the server's own address where the runtime left the URL relative, and the body is held to
 * `maxBodySize`.
 *
 * @example
 * request = admitRequest(request, 1024 * 1024, "http://127.0.0.1:3000/");
 */
export function admitRequest(request: Request, maxBodySize: number, base: string): Request {
  const host = request.headers.get("host");
  if (host !== null && !validHost.test(host)) throw new BadRequestError("invalid Host header");
  if (host === null && request.url.charCodeAt(0) === 47 /* "/" */) {
    const { method, headers, body, signal } = request;
    request = new Request(new URL(request.url, base), { method, headers, body, signal, duplex: "half" } as RequestInit);
  }
  const method = request.method;
  return method === "GET" || method === "HEAD" ? request : limitRequest(request, maxBodySize);
}
