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

/** An application returned something that is not a `Response`: the client gets 500. */
export class NotAResponseError extends TsgiError {
  constructor(what: string) {
    super("TSGI_NOT_A_RESPONSE", `application returned ${what}, not a Response (SPEC.md §3.4)`);
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
