/** The error classes tsgi throws or reports, each with a stable `code` (SPEC.md §7). */
export class TsgiError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A request body larger than the server's `maxBodySize`: the client gets 413. */
export class BodyTooLargeError extends TsgiError {
  readonly status = 413;
  constructor(limit: number) {
    super("TSGI_BODY_TOO_LARGE", `request body is larger than the limit of ${limit} bytes`);
  }
}

/** An application returned something that is not a `Response`, or `Response.error()`: the client gets 500. */
export class NotAResponseError extends TsgiError {
  constructor(what: string, why = "not a Response") {
    super("TSGI_NOT_A_RESPONSE", `application returned ${what}, ${why} (SPEC.md §3.4)`);
  }
}

/** An application returned a Response whose body was already read or locked: the client gets 500. */
export class BodyUsedError extends TsgiError {
  constructor() {
    super("TSGI_BODY_USED", "application returned a Response whose body was already used (SPEC.md §3.4)");
  }
}

/** A request the server cannot turn into a `Request` (a bad URL, say): the client gets 400. */
export class BadRequestError extends TsgiError {
  readonly status = 400;
  constructor(message: string) {
    super("TSGI_BAD_REQUEST", message);
  }
}

/** The client broke off or garbled the request body: not an application error, never reported (SPEC.md §4.5). */
export class RequestAbortedError extends TsgiError {
  readonly status = 400;
  constructor(cause?: unknown) {
    super("TSGI_REQUEST_ABORTED", "the client aborted the request or sent a malformed body", { cause });
  }
}

/** An option given to an adapter that it cannot use. */
export class InvalidOptionError extends TsgiError {
  constructor(message: string) {
    super("TSGI_INVALID_OPTION", message);
  }
}

/**
 * What was given as an application is neither a function nor an object with a `fetch` method.
 *
 * @example
 * try { toHandler(42 as never); } catch (error) { console.log((error as TsgiError).code); } // "TSGI_NOT_AN_APPLICATION"
 */
export class NotAnApplicationError extends TsgiError {
  constructor(what: string) {
    super("TSGI_NOT_AN_APPLICATION", `tsgi: expected an application (a function or an object with fetch), got ${what}`);
  }
}

/**
 * An adapter was used on a runtime that lacks what it needs (`tsgi/deno` outside Deno, say).
 *
 * @example
 * await serve(app).catch((error) => error.code); // "TSGI_UNSUPPORTED_RUNTIME"
 */
export class UnsupportedRuntimeError extends TsgiError {
  constructor(message: string) {
    super("TSGI_UNSUPPORTED_RUNTIME", message);
  }
}

/**
 * A short, safe description of a value for error messages: its type or class, never its contents.
 *
 * @example
 * describe(42); // "a number"
 */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ? `a ${value.constructor.name}` : "an object";
  return typeof value === "undefined" ? "undefined" : `a ${typeof value}`;
}

/**
 * The error for what an application returned, if no server can send it: something not a Response, a
 * `Response.error()` (status 0, for fetch only), or a Response whose body was already read. `bodyUsed`
 * answers `response.bodyUsed` where a runtime can tell more cheaply.
 *
 * @example
 * const error = unsendable(await handler(request, env, ctx));
 * if (error) onError(error, request);
 */
export function unsendable(
  value: unknown,
  bodyUsed: (response: Response) => boolean = readsBodyUsed,
): TsgiError | undefined {
  if (!(value instanceof Response)) return new NotAResponseError(describe(value));
  if (value.status === 0) return new NotAResponseError("Response.error()", "a network error that no server can send");
  return bodyUsed(value) ? new BodyUsedError() : undefined;
}

const readsBodyUsed = (response: Response): boolean => response.bodyUsed;
