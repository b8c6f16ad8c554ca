import { BadRequestError, TsgiError } from "../src/errors.ts";
import { isHopByHop, listedBy } from "../src/server/hop-by-hop.ts";

/** A parsed JSON event, read field by field: every kind checks what it uses. */
export type Fields = Record<string, unknown>;

/** How one HTTP front door's events become a Request and its results are written (a row of the table). */
export interface EventKind {
  /** The result format, as `responses.md` of the fixtures names them. */
  readonly format: "apigw-v1" | "apigw-v2" | "alb-single" | "alb-multi" | "vpc-lattice" | "lambda-edge";
  request(event: Fields, keepStage: boolean): Request;
  remoteAddress(event: Fields): string | undefined;
  /** The buffered result, or with `prelude` the metadata a streamed response starts with (status, headers, cookies). */
  result(
    response: Response,
    head: Head,
    body: string,
    base64: boolean,
    report: (error: unknown) => void,
    prelude?: boolean,
  ): object;
  /** True where the front door can stream a response. */
  readonly streams?: boolean;
  /** True behind a load balancer or CloudFront, which own the connection: hop-by-hop headers are dropped. */
  readonly proxied?: boolean;
}

/**
 * The event is not one of the HTTP events Lambda delivers (S3, SQS, EventBridge, ...).
 *
 * @example
 * await handler(sqsEvent, context).catch((error) => error.code); // "TSGI_LAMBDA_UNKNOWN_EVENT"
 */
export class UnknownEventError extends TsgiError {
  constructor(message: string) {
    super("TSGI_LAMBDA_UNKNOWN_EVENT", "tsgi/aws-lambda: " + message);
  }
}

/**
 * The event looks like an HTTP event but lacks a field the adapter needs.
 *
 * @example
 * await handler({ version: "2.0", requestContext: {} }, context); // rejects: "... without requestContext.http"
 */
export class MalformedEventError extends TsgiError {
  constructor(kind: string, field: string) {
    super("TSGI_LAMBDA_MALFORMED_EVENT", `tsgi/aws-lambda: ${kind} event without ${field}`);
  }
}

/**
 * An ALB (multi-value headers off) or VPC Lattice result carries one Set-Cookie; the others were dropped.
 *
 * @example
 * toLambdaHandler(app, { onError: (error) => error instanceof DroppedCookiesError && console.warn(error.message) });
 */
export class DroppedCookiesError extends TsgiError {
  constructor(dropped: number) {
    super("TSGI_LAMBDA_COOKIES_DROPPED", `tsgi/aws-lambda: ${dropped} Set-Cookie dropped; this format carries one`);
  }
}

/** A required string field, or a MalformedEventError naming it. */
export function need(value: unknown, kind: string, field: string): string {
  if (typeof value !== "string") throw new MalformedEventError(kind, field);
  return value;
}

// Characters a path may hold as they are (RFC 3986 pchar and "/"); `%` is kept when the path arrives encoded.
const unsafePath = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/;

/** The path as it goes into the URL: encoded paths stay, decoded ones (HTTP APIs) are encoded again. */
export function urlPath(path: string, decoded: boolean): string {
  if (path[0] !== "/") path = "/" + path;
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
  return scheme + "://" + name;
}

/** A query string from decoded name → values pairs (REST, VPC Lattice), each part encoded. */
export function encodeQuery(params: unknown, encode: (part: string) => string): string {
  if (params === null || typeof params !== "object") return "";
  let query = "";
  for (const name in params) {
    const values = (params as Record<string, unknown>)[name];
    for (const value of Array.isArray(values) ? values : [values]) {
      query += (query ? "&" : "?") + encode(name) + "=" + encode(String(value ?? ""));
    }
  }
  return query;
}

/** Header lines as [name, value] pairs (cheaper than a record); Cookie lines joined with "; " (RFC 6265 §5.4). */
export function headerList(lines: unknown): [string, string][] {
  const list: [string, string][] = [];
  if (lines === null || typeof lines !== "object") return list;
  let cookie: string | undefined;
  for (const key in lines) {
    const raw = (lines as Record<string, unknown>)[key];
    if (key.length === 6 && key.toLowerCase() === "cookie") {
      const value = Array.isArray(raw) ? raw.join("; ") : String(raw);
      cookie = cookie === undefined ? value : cookie + "; " + value;
    } else if (!Array.isArray(raw)) list.push([key, String(raw)]);
    // Headers joins repeated lines with ", " itself.
    else for (const value of raw) list.push([key, String(value)]);
  }
  if (cookie !== undefined) list.push(["cookie", cookie]);
  return list;
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

/** The invocation's hold on `request.signal`: abort it (the client left a stream), or release its timer. */
export class Deadline {
  readonly #at: number;
  #controller: AbortController | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(at: number) {
    this.#at = at;
  }

  /** The signal, made on first read; Lambda stops the function at the deadline, so it aborts a little before. */
  signal(): AbortSignal {
    if (this.#controller === undefined) {
      const controller = (this.#controller = new AbortController());
      if (this.#at < Infinity)
        this.#timer = setTimeout(
          () => controller.abort(new DOMException("the Lambda invocation ran out of time", "TimeoutError")),
          Math.max(0, this.#at - Date.now()),
        );
    }
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    if (!this.signal().aborted) this.#controller!.abort(reason);
  }

  release(): void {
    clearTimeout(this.#timer);
  }
}

const held = Symbol("tsgi.deadline");
type Held = Request & { [held]?: Deadline };
// One getter and one descriptor for every Request, so that they all share the same hidden class.
const lazySignal: PropertyDescriptor = {
  get(this: Held): AbortSignal {
    return this[held]!.signal();
  },
};

/**
 * Gives the Request a `signal` made when first read, aborting at the deadline. Handing undici a signal
 * at construction, or subclassing Request, costs more CPU than the rest of the translation together;
 * copies (`new Request(request)`, `clone()`) get a signal of their own that does not abort.
 */
export function withDeadline(request: Request, at: number): Deadline {
  const deadline = new Deadline(at);
  (request as Held)[held] = deadline;
  Object.defineProperty(request, "signal", lazySignal);
  return deadline;
}

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
  const init: RequestInit = { method, headers };
  if (typeof body === "string" && body !== "" && !noBody.has(method)) {
    init.body = base64 === true ? Buffer.from(body, "base64") : typed ? body : Buffer.from(body);
  }
  try {
    return new Request(url, init);
  } catch {
    // AWS hands header values over as UTF-8 text; a server would see their bytes, one char each.
    const pairs = Array.isArray(headers) ? headers : Object.entries(headers);
    init.headers = pairs.map(([name, value]) => [name, Buffer.from(String(value)).toString("latin1")]);
    try {
      return new Request(url, init);
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

/** A Response's headers one string each plus the Set-Cookie list, never merged: what every result starts from. */
export interface Head {
  headers: Record<string, string>;
  cookies: string[];
}

/**
 * The Head of a Response, read in one pass (the body rule reads its content type and encoding from it too).
 * Hop-by-hop fields never go back: the front door frames the body and owns the connection. Behind a load
 * balancer or CloudFront (`proxied`), which compute the length themselves, Content-Length goes too.
 */
export function splitHeaders(response: Response, proxied?: boolean): Head {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  const listed = listedBy(response.headers.get("connection"));
  // forEach walks the same pairs as iteration (each Set-Cookie apart) without an array per entry.
  response.headers.forEach((value, name) => {
    if (name === "set-cookie") cookies.push(value);
    else if (!isHopByHop(name, listed) && !(proxied && name === "content-length")) headers[name] = value;
  });
  return { headers, cookies };
}
