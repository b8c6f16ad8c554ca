import { toHandler } from "../src/app.ts";
import { traced } from "../src/server/tracing.ts";
import { callApp, clientError, errorResponse } from "../src/server/call-app.ts";
import { BadRequestError } from "../src/errors.ts";
import { PendingWork } from "../src/server/pending-work.ts";
import type { App, Env } from "../src/types.ts";
import { releaseRequest } from "../src/server/lazy-signal.ts";
import { begin, bufferedResult, detect, type Invocation, type LambdaContext, warmUp } from "./aws-lambda-events.ts";
import { type LambdaOptions, resolveLambdaOptions } from "./aws-lambda-options.ts";

export { DroppedCookiesError, MalformedEventError, UnknownEventError } from "./aws-lambda-errors.ts";
export type { LambdaContext, LambdaPlatform } from "./aws-lambda-events.ts";
export type { BodyEncoding, LambdaOptions } from "./aws-lambda-options.ts";
export { toStreamingLambdaHandler, type StreamingLambdaHandler } from "./aws-lambda-stream.ts";

/** A Lambda handler for Node.js runtimes: event and context in, the front door's result format out. */
export type LambdaHandler = (event: unknown, context: LambdaContext) => Promise<object>;

/**
 * The application as a Lambda handler for every HTTP front door: API Gateway REST and HTTP APIs,
 * Function URLs, ALB (either header mode), VPC Lattice and Lambda@Edge request triggers. It answers in
 * the format of the event it got; `waitUntil` work settles before the invocation ends.
 *
 * @example
 * import { toLambdaHandler } from "tsgi/aws-lambda";
 * import app from "./app.ts";
 * export const handler = toLambdaHandler(app);
 */
export function toLambdaHandler<E = Env>(app: App<E>, options: LambdaOptions<E> = {}): LambdaHandler {
  const handler = traced(toHandler(app));
  const { env, onError, keepStage, bodyEncoding, fastGlobals } = resolveLambdaOptions(options);
  const work = new PendingWork(onError);
  warmUp(fastGlobals);
  return async (event, context) => {
    const kind = detect(event);
    let invocation: Invocation;
    try {
      invocation = begin(kind, event, context, keepStage, work);
    } catch (error) {
      if (!(error instanceof BadRequestError)) throw error;
      return bufferedResult(kind, clientError(400, "Bad Request"), "GET", undefined, onError);
    }
    const { request, ctx } = invocation;
    const report = (error: unknown): void => onError(error, request);
    try {
      const response = await callApp(handler, request, env, ctx, onError);
      let result: object;
      try {
        result = await bufferedResult(kind, response, request.method, bodyEncoding, report);
      } catch (error) {
        // The body failed while it was read: nothing was sent yet, so the client still gets a 500.
        result = await bufferedResult(kind, errorResponse(error, request, onError), request.method, undefined, report);
      }
      if (work.size > 0) await work.settled();
      return result;
    } finally {
      releaseRequest(request);
    }
  };
}
