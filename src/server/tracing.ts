// The `tsgi.request` tracing channel (node:diagnostics_channel), which the node, deno, bun and Lambda adapters
// publish every request on, so that tools such as OpenTelemetry follow requests without wrapping the application.
// workerd has no node:diagnostics_channel without nodejs_compat: the Cloudflare adapter never imports this file.
import { type TracingChannel, tracingChannel } from "node:diagnostics_channel";
import type { Handler } from "../types.ts";

/**
 * What the `tsgi.request` channel publishes: the request, and the response once the application has
 * given it (from `asyncStart` on, or from `end` for an answer given synchronously). `error` and `result`
 * are set the way `TracingChannel.tracePromise` sets them: on a throw or rejection, `error` holds it and
 * the server answers 500.
 */
export interface RequestTrace {
  request: Request;
  response?: Response;
  error?: unknown;
  result?: Response;
}

/** The channel's name, as subscribers spell it: `tracingChannel("tsgi.request")`. */
export const REQUEST_CHANNEL = "tsgi.request";

const channel: TracingChannel<object, RequestTrace> = tracingChannel(REQUEST_CHANNEL);
const { start, end, asyncStart, asyncEnd, error } = channel;
// tracePromise takes a synchronous answer too (it wraps it in a promise); its declared type does not say so.
const tracePromise = channel.tracePromise.bind(channel) as (
  answer: () => Response | Promise<Response>,
  trace: RequestTrace,
) => Promise<Response>;

/**
 * Whether anyone subscribes to `tsgi.request`: what TracingChannel.hasSubscribers says, asked of the five
 * channels (Bun's TracingChannel lacks the getter), once per request, as a subscriber may come at any time.
 *
 * @example
 * if (requestSubscribed()) console.log("tsgi.request is traced");
 */
export function requestSubscribed(): boolean {
  return (
    start.hasSubscribers ||
    end.hasSubscribers ||
    asyncStart.hasSubscribers ||
    asyncEnd.hasSubscribers ||
    error.hasSubscribers
  );
}

/**
 * The handler, publishing each call on `tsgi.request` with `TracingChannel.tracePromise`'s events (`start`,
 * `end`, then `asyncStart` and `asyncEnd` once the response is known, `error` on a throw or rejection) while
 * anyone subscribes; with no subscriber it calls the handler as it is, synchronous answers staying synchronous.
 *
 * @example
 * const handler = traced(toHandler(app)); // in an adapter, where it makes the handler
 */
export function traced<E, P>(handler: Handler<E, P>): Handler<E, P> {
  return (request, env, ctx) => {
    if (!requestSubscribed()) return handler(request, env, ctx);
    const trace: RequestTrace = { request };
    const known = (response: Response): Response => {
      trace.response = response;
      return response;
    };
    return tracePromise(() => {
      const result = handler(request, env, ctx);
      if (result instanceof Promise) return result.then(known);
      return known(result);
    }, trace);
  };
}
