import { describe } from "./app.ts";
import { BadRequestError, BodyTooLargeError, BodyUsedError, NotAResponseError, RequestAbortedError } from "./errors.ts";
import type { Context, ErrorReporter, Handler } from "./types.ts";

const plainText = { "content-type": "text/plain; charset=utf-8" };

/** The fixed answer to an application failure: nothing of the error reaches the client (SPEC.md §4.5). */
export function internalServerError(): Response {
  return new Response("Internal Server Error", { status: 500, headers: plainText });
}

const plainTextClose = { ...plainText, connection: "close" };

/** The answer to a client's mistake, with a message meant for the client; `close` ends the connection after it. */
export function clientError(status: number, message: string, close = false): Response {
  return new Response(message, { status, headers: close ? plainTextClose : plainText });
}

/** What the client gets for an error: its own 4xx for client errors, else a reported 500. */
export function errorResponse(error: unknown, request: Request, onError: ErrorReporter): Response {
  if (error instanceof BodyTooLargeError) return clientError(413, "Payload Too Large");
  // After a request that could not be read, the connection's state is in doubt (RFC 9112 §9.6).
  if (error instanceof BadRequestError || error instanceof RequestAbortedError) return clientError(400, "Bad Request", true);
  onError(error, request);
  return internalServerError();
}

/**
 * Calls the application and always yields a Response: a throw, a rejection or a non-Response becomes
 * a 500 and goes to `onError`. A synchronous Response stays synchronous, sparing a promise per request.
 */
export function callApp<E, P>(
  handler: Handler<E, P>,
  request: Request,
  env: E,
  ctx: Context<P>,
  onError: ErrorReporter,
): Response | Promise<Response> {
  let result: Response | Promise<Response>;
  try {
    result = handler(request, env, ctx);
  } catch (error) {
    return errorResponse(error, request, onError);
  }
  if (result instanceof Response && !result.bodyUsed) return result;
  if (result instanceof Promise) {
    return result.then(
      (response) => (response instanceof Response && !response.bodyUsed ? response : notUsable(response, request, onError)),
      (error) => errorResponse(error, request, onError),
    );
  }
  return notUsable(result, request, onError);
}

// A Response whose body was already read cannot be sent: as much an application error as no Response.
function notUsable(value: unknown, request: Request, onError: ErrorReporter): Response {
  onError(value instanceof Response ? new BodyUsedError() : new NotAResponseError(describe(value)), request);
  return internalServerError();
}

/** The default `onError`: one line on stderr with the request it belongs to, then the stack. */
export const logError: ErrorReporter = (error, request) => {
  const where = request ? ` (${request.method} ${request.url})` : "";
  console.error(`tsgi: application error${where}:`, error);
};
