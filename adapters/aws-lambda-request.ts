// The pieces every event kind builds its Request from: required fields, the URL's parts, header lines.
import { BadRequestError } from "../src/errors.ts";
import { newRequest, type PlainRequestInit } from "../src/server/new-request.ts";
import { MalformedEventError } from "./aws-lambda-errors.ts";

/** A parsed JSON event, read field by field: every kind checks what it uses. */
export type Fields = Record<string, unknown>;

/** A required string field, or a MalformedEventError naming it. */
export function need(value: unknown, kind: string, field: string): string {
  if (typeof value !== "string") throw new MalformedEventError(kind, field);
  return value;
}

// Characters a path may hold as they are (RFC 3986 pchar and "/"); `%` is kept when the path arrives encoded.
const unsafePath = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/;

/** The path as it goes into the URL: encoded paths stay, decoded ones (HTTP APIs) are encoded again. */
export function urlPath(path: string, decoded: boolean): string {
  if (path[0] !== "/") path = `/${path}`;
  if (!unsafePath.test(path) && !(decoded && path.includes("%"))) return path;
  let out = "";
  for (const char of path) {
    out += (decoded && char === "%") || unsafePath.test(char) ? encodeURIComponent(char) : char;
  }
  return out;
}

/** `https://host` from a Host value; one that would reshape the URL is replaced by the fallback. */
export function origin(scheme: string, host: unknown, fallback: unknown): string {
  const name =
    typeof host === "string" && host !== "" && !/[/?#@\\\s]/.test(host)
      ? host
      : typeof fallback === "string" && fallback !== ""
        ? fallback
        : "localhost";
  return `${scheme}://${name}`;
}

/** A query string from decoded name → values pairs (REST, VPC Lattice), each part encoded. */
export function encodeQuery(params: unknown, encode: (part: string) => string): string {
  if (params === null || typeof params !== "object") return "";
  let query = "";
  for (const name in params) {
    const values = (params as Record<string, unknown>)[name];
    for (const value of Array.isArray(values) ? values : [values]) {
      query += `${(query ? "&" : "?") + encode(name)}=${encode(String(value ?? ""))}`;
    }
  }
  return query;
}

/**
 * Header lines for the Request; Cookie lines joined with "; " (RFC 6265 §5.4). A record where each name has
 * one line (undici converts a record in one pass, pairs one iterator each); pairs where a name has several,
 * each its own field, or is `__proto__`, which a record cannot hold.
 */
export function headerList(lines: unknown): Record<string, string> | [string, string][] {
  if (lines === null || typeof lines !== "object") return {};
  const record: Record<string, string> = {};
  let cookie: string | undefined;
  for (const key in lines) {
    const raw = (lines as Record<string, unknown>)[key];
    if (isCookie(key)) cookie = withCookie(cookie, raw);
    else if (key === "__proto__" || (Array.isArray(raw) && raw.length !== 1)) return headerPairs(lines);
    else record[key] = String(Array.isArray(raw) ? raw[0] : raw);
  }
  if (cookie !== undefined) record.cookie = cookie;
  return record;
}

function headerPairs(lines: object): [string, string][] {
  const list: [string, string][] = [];
  let cookie: string | undefined;
  for (const key in lines) {
    const raw = (lines as Record<string, unknown>)[key];
    if (isCookie(key)) cookie = withCookie(cookie, raw);
    // Headers joins repeated lines with ", " itself.
    else if (Array.isArray(raw)) for (const value of raw) list.push([key, String(value)]);
    else list.push([key, String(raw)]);
  }
  if (cookie !== undefined) list.push(["cookie", cookie]);
  return list;
}

const isCookie = (key: string): boolean => key.length === 6 && key.toLowerCase() === "cookie";

// The Cookie so far, with the event's line or lines for it after.
function withCookie(cookie: string | undefined, raw: unknown): string {
  const value = Array.isArray(raw) ? raw.join("; ") : String(raw);
  return cookie === undefined ? value : `${cookie}; ${value}`;
}

/** A header of an event's map, whatever the case of its name; the last line where there are several. */
export function lookup(lines: unknown, name: string): string | undefined {
  if (lines === null || typeof lines !== "object") return undefined;
  for (const key in lines) {
    if (key.length !== name.length || key.toLowerCase() !== name) continue;
    const raw = (lines as Record<string, unknown>)[key];
    return Array.isArray(raw) ? raw[raw.length - 1] : typeof raw === "string" ? raw : undefined;
  }
  return undefined;
}

const noBody = new Set(["GET", "HEAD"]);

/**
 * The Request: a base64 body becomes bytes, a text body stays text (as bytes when there is no
 * Content-Type, so that none is invented); a header value the Fetch classes refuse makes a 400.
 */
export function buildRequest(
  method: string,
  url: string,
  headers: Record<string, string> | [string, string][],
  typed: boolean,
  body: unknown,
  base64: unknown,
): Request {
  const init: PlainRequestInit = { method, headers };
  if (typeof body === "string" && body !== "" && !noBody.has(method)) {
    init.body = base64 === true ? Buffer.from(body, "base64") : typed ? body : Buffer.from(body);
  }
  try {
    return newRequest(url, init);
  } catch {
    // AWS hands header values over as UTF-8 text; a server would see their bytes, one char each.
    const pairs = Array.isArray(headers) ? headers : Object.entries(headers);
    init.headers = pairs.map(([name, value]) => [name, Buffer.from(String(value)).toString("latin1")]);
    try {
      return newRequest(url, init);
    } catch (error) {
      throw new BadRequestError(
        `tsgi/aws-lambda: cannot build a Request for ${method} ${url}: ${(error as Error).message}`,
      );
    }
  }
}

/** The last X-Forwarded-For entry: the one the load balancer itself appended. */
export function lastForwarded(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return value.slice(value.lastIndexOf(",") + 1).trim() || undefined;
}
