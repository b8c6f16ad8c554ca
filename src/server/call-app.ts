import { BadRequestError, BodyTooLargeError, RequestAbortedError, unsendable } from "../errors.ts";
import type { Context, ErrorReporter, Handler } from "../types.ts";

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

/** Whether an error is the runtime's way of saying the client broke the request off (Deno's BadResource, say). */
export type BrokenOff = (error: unknown, request: Request) => boolean;

/**
 * What the client gets for an error: its own 4xx for client errors, else a reported 500. `brokenOff`
 * tells the runtime's own errors for a request body the client broke off, which are not the application's.
 */
export function errorResponse(
  error: unknown,
  request: Request | undefined,
  onError: ErrorReporter,
  brokenOff?: BrokenOff,
): Response {
  if (request && brokenOff?.(error, request)) error = new RequestAbortedError(error);
  if (error instanceof BodyTooLargeError) return clientError(413, "Payload Too Large");
  // After a request that could not be read, the connection's state is in doubt (RFC 9112 §9.6).
  if (error instanceof BadRequestError || error instanceof RequestAbortedError)
    return clientError(400, "Bad Request", true);
  onError(error, request);
  return internalServerError();
}

/** What an adapter may add to callApp's work, for its runtime. */
export interface CallHooks<T> {
  /** The runtime's own errors for a request body the client broke off, which are not the application's. */
  brokenOff?: BrokenOff;
  /** The adapter's last step, given every Response on its way out in the same turn: one promise, not two. */
  finish?: (response: Response) => T | Promise<T>;
  /** `response.bodyUsed`, where the runtime can tell without reading the body (Deno). */
  bodyUsed?: (response: Response) => boolean;
}

/**
 * Calls the application and always yields a Response: a throw, a rejection or a value no server can
 * send becomes a 500 and goes to `onError`. A synchronous Response stays synchronous, sparing a
 * promise per request.
 */
export function callApp<E, P, T = Response>(
  handler: Handler<E, P>,
  request: Request,
  env: E,
  ctx: Context<P>,
  onError: ErrorReporter,
  hooks: CallHooks<T> = noHooks,
): T | Promise<T> {
  const { brokenOff, bodyUsed } = hooks;
  const done = hooks.finish ?? (asIs as (response: Response) => T);
  let result: Response | Promise<Response>;
  try {
    result = handler(request, env, ctx);
  } catch (error) {
    return done(errorResponse(error, request, onError, brokenOff));
  }
  if (result instanceof Promise) {
    return result.then(
      (response) => done(sendable(response, request, onError, bodyUsed)),
      (error) => done(errorResponse(error, request, onError, brokenOff)),
    );
  }
  return done(sendable(result, request, onError, bodyUsed));
}

const noHooks: CallHooks<never> = {};
const asIs = (response: Response): Response => response;

// What no server can send (a used body, Response.error(), no Response at all) is an application error.
function sendable(
  value: unknown,
  request: Request,
  onError: ErrorReporter,
  bodyUsed?: (response: Response) => boolean,
): Response {
  const error = unsendable(value, bodyUsed);
  if (error === undefined) return value as Response;
  onError(error, request);
  return internalServerError();
}

/** The default `onError`: one line on stderr with the request it belongs to, then the stack. */
export const logError: ErrorReporter = (error, request) => {
  const where = request ? ` (${request.method} ${request.url})` : "";
  console.error(`tsgi: application error${where}:`, error);
};
